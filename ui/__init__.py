"""What the pages share: data access with caching, filters and URL state, charts, layout helpers."""
