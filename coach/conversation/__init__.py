"""A conversation: normalised text, the matcher, feedback, the engine that plays a session."""
