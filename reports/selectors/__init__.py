"""Reads for reports. Every selector that returns learner data scopes itself to the viewer."""
