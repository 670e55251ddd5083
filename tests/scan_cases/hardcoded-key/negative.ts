const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });
const hint = "sk-...your key";
