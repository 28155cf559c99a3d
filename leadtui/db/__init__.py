"""Storage: models, engine setup and migrations. Only the repository imports this package."""
