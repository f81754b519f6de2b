"""Pages of the journal: the grid and its cell saves, the lesson column, plans, periods, corrections, the class."""
