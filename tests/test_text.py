import pytest

from db.text import like_pattern, name_key, search_text, slugify


@pytest.mark.parametrize(
    "variant",
    [
        "Сдружение „Ларго“",
        'сдружение "ларго"',
        "  СДРУЖЕНИЕ   ЛАРГО ",
        "Сдружение ''Ларго''",
    ],
)
def test_partner_names_compare_without_case_spaces_or_quotes(variant: str) -> None:
    assert name_key(variant) == "сдружение ларго"


def test_search_text_joins_the_searchable_parts() -> None:
    assert search_text("Фондация „АДРА“ – България", "АДРА", "София") == "фондация адра – българия адра софия"


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Амалипе", "amalipe"),
        ("„Нево Дром“", "nevo-drom"),
        ("ЦОИДУЕМ", "tsoiduem"),
        ("РОС „Изток“", "ros-iztok"),
        ("Община Кюстендил", "obshtina-kyustendil"),
        ("***", "partner"),
    ],
)
def test_slugs_are_transliterated_officially(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_like_pattern_takes_wildcards_literally() -> None:
    assert like_pattern("100%_") == "%100\\%\\_%"
