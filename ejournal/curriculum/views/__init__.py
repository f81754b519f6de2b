"""Pages of subjects, the curriculum, the study week, assignments and their import."""
