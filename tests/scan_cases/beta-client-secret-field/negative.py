# the beta returned client_secret.value; GA returns value
token = data["value"]
secret = client.realtime.client_secrets.create(session={"type": "realtime"})
token = secret.value
print("read client_secret.value")
