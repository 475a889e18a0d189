"""What a deck and a report say, computed once without Streamlit: the model, how it is gathered, its words."""
