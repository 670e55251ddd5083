const token = data.client_secret.value; // expect[beta-client-secret-field]
const ek = session?.client_secret?.value; // expect[beta-client-secret-field]
const raw = json["client_secret"]["value"]; // expect[beta-client-secret-field]
