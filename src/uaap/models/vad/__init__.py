"""Voice activity and speech/music segmentation experts."""
