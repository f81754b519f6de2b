"""The school administration's roster pages (imports have their own module, `import_views`)."""
