// OpenAI service: creates Realtime sessions and hands out the ephemeral token.
const OPENAI_API_KEY = process.env.OPENAI_API_KEY ?? "";
const MODEL = process.env.OPENAI_REALTIME_MODEL ?? "gpt-4o-realtime-preview-2024-12-17"; // expect[retired-model]

export interface RealtimeSession {
  id: string;
  token: string;
  expiresAt: number;
}

export async function createRealtimeSession(instructions: string): Promise<RealtimeSession> {
  const response = await fetch("https://api.openai.com/v1/realtime/sessions", { // expect[beta-sessions-endpoint]
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Authorization: `Bearer ${OPENAI_API_KEY}`,
      "OpenAI-Beta": "realtime=v1", // expect[beta-header]
    },
    body: JSON.stringify({
      model: MODEL,
      voice: "alloy",
      instructions,
    }),
  });
  if (!response.ok) {
    throw new Error(`Realtime session failed: ${response.status} ${await response.text()}`);
  }
  const data = await response.json();
  return {
    id: data.id,
    token: data.client_secret.value, // expect[beta-client-secret-field]
    expiresAt: data.client_secret.expires_at,
  };
}
