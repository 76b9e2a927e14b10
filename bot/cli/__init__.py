"""`linli`: every operator command, one module per area, registered in `main`."""
