"""12385 petitions: routing over ``content/tasks.yml`` and ``content/routing.yml``, the statutory clock and the
workflow (applications-and-petitions.md, "12385 petitions"). No Flask here."""
