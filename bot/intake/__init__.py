"""The intake writer: every process's one writer of the hot statements (user, ticket, audit, pushes)."""
