// OpenAI service: mints ephemeral client secrets for Realtime sessions.
const OPENAI_API_KEY = process.env.OPENAI_API_KEY ?? "";
const MODEL = process.env.OPENAI_REALTIME_MODEL ?? "gpt-realtime-2.1";

export interface RealtimeSession {
  token: string;
  expiresAt: number;
}

export async function createRealtimeSession(instructions: string): Promise<RealtimeSession> {
  const response = await fetch("https://api.openai.com/v1/realtime/client_secrets", {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Authorization: `Bearer ${OPENAI_API_KEY}`,
    },
    body: JSON.stringify({
      session: {
        type: "realtime",
        model: MODEL,
        instructions,
        audio: { output: { voice: "marin" } },
      },
    }),
  });
  if (!response.ok) {
    throw new Error(`Realtime session failed: ${response.status} ${await response.text()}`);
  }
  const data = await response.json();
  return {
    token: data.value,
    expiresAt: data.expires_at,
  };
}
