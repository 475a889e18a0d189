MESSAGES: dict[str, str] = {
    "cli.init_done": "The database schema was upgraded to revision {revision}.",
    "cli.init_current": "The database schema is already up to date (revision {revision}).",
    "cli.demo_done": "Demo data loaded: {count} activities.",
    "cli.demo_skipped": "The database already holds records; the demo data was not loaded.",
    "cli.demo_refused": "The database already holds records. To replace them with the demo data, add --replace.",
}
