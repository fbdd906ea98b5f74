"""Sound-event tagging experts (AudioSet labels over time)."""
