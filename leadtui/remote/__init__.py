"""The client side of a leadtui server: a repository over HTTPS and the event socket, with the
same interface and domain values as the local repository. Imports only the domain and its
HTTP and WebSocket clients - never the repository, the database or the UI."""
