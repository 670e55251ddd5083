const openai = new OpenAI({ apiKey: "sk-svcacct-FAKE00000000000000000000000TEST", dangerouslyAllowBrowser: true }); // expect[hardcoded-key]
