"""ejournal: electronic class journal and diary for a city's schools."""
