"""`make bench`: how fast the outbox sends, and what the dispatcher's scan costs."""
