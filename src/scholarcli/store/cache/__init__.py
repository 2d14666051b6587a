"""The caches behind `open_store`: parsed records (parse), rendered export entries (entries), kept warm by writes (update)."""
