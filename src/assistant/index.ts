/**
 * The assistant feature's public module: all that other features, the shared code, the CLI and the benchmarks
 * may use of src/assistant: the feature, the model provider app.ts configures, the task tools that MCP serves
 * too, and what the export writes of conversations. The rest of the folder is the feature's own (see DESIGN §4).
 */

export { type AssistantFeatureOptions, registerAssistant } from './assistant.feature.ts';
export { conversationSchema } from './assistant.schemas.ts';
export { createConversationsTransfer } from './assistant.transfer.ts';
export { createOpenAiProvider } from './providers/openai.ts';
export { noSuchTool, TOOLS, toolNamed } from './tools/index.ts';
export { runTool, type Tool, type ToolContext } from './tools/tool.ts';
