token = data["client_secret"]["value"]  # expect[beta-client-secret-field]
token = resp.json().get("client_secret", {}).get("value")  # expect[beta-client-secret-field]
token = session.client_secret.value  # expect[beta-client-secret-field]
