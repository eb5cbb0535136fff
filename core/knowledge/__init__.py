"""Knowledge spaces: articles with versions, review, votes, deflections and search.

`services.KnowledgeService` is the entry point for the API and the pages;
`search` holds the one text normalisation that feeds both the index and the
queries, on SQLite (FTS5) and PostgreSQL (tsvector).
"""
