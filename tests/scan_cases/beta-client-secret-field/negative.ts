// data.client_secret.value was the beta shape
const token = data.value;
const expires = data.expires_at;
const secrets = client.realtime.clientSecrets;
