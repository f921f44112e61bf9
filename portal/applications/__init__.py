"""Online applications: the intake engine over the forms in ``content/forms/``, reference numbers and access
codes, identity numbers, uploads and their storage, sealing of personal data, the workflow and the outbox. No
Flask here; ``portal.web.applications`` builds the service for a request."""
