"""Conversation logic, one module per area. Handlers take an `Incoming` and a `Context` and
return a `Reply`; they never see XML or HTTP. `handlers.router` is the one route table."""
