"""Staff intake (代录): staff log a phone call, a walk-in or a home visit as a request for a resident."""
