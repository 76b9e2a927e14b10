"""Every sentence users read, one module per area, so wording is reviewed in one place."""
