"""Voice search: Vosk model registry, WAV decoding, catalogue grammar, recogniser service and the endpoint."""
