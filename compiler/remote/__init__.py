"""Servers the form goes to and the data comes from: ODK Central, KoboToolbox."""
