"""Speaker diarization experts."""
