"""Pages of the school's year setup (namespace "schools", mounted at /year/)."""
