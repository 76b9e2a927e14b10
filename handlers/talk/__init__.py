"""People talk to people through the account: 回复 to the resident, 撤回 by the resident, contact for the claimer."""
