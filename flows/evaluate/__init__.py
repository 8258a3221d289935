"""`copydesk evaluate`: measure the cleaner on labeled folders, scored exactly as the reference scorers."""
