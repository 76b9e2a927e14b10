"""Urgent requests alert the grid at once; an alert nobody acknowledges climbs the ladder."""
