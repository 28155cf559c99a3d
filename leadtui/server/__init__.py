"""`leadtui serve`: the application server between colleagues and a team's database.

It sits beside the UI as a second caller of the repository; it never imports the UI, and the
app's start path never imports it.
"""
