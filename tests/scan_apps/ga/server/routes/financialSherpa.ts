import { Router } from "express";
import { createRealtimeSession } from "../services/openaiRealtime";

export const financialSherpa = Router();

// The browser asks for an ephemeral token when it talks to OpenAI directly (WebRTC).
financialSherpa.post("/api/sherpa/session", async (_req, res) => {
  try {
    const session = await createRealtimeSession("You are Financial Sherpa.");
    res.json({ token: session.token, expiresAt: session.expiresAt });
  } catch (err) {
    res.status(502).json({ error: String(err) });
  }
});
