import type { Tool } from '../tools/tool.ts';

/** What a tool call did, as stored and as shown in the chat response (the seeds' `{success, data}`). */
export type ToolCallResult =
  | { success: true; data: Record<string, unknown> }
  | { success: false; code: string; error: string };

/** A tool call that ran: the model's request and its result. */
export interface ToolCallRecord {
  id: string;
  tool_name: string;
  parameters: unknown;
  result: ToolCallResult;
}

/** The conversation as a provider sees it: the user's messages, and the assistant's with the tools it ran. */
export type ChatMessage =
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls: ToolCallRecord[] };

/** A tool call a provider asks for. `arguments` is the parsed JSON, or the raw text when it did not parse. */
export interface ToolCallRequest {
  id: string;
  name: string;
  arguments: unknown;
}

/** The names a user has given: their tasks' titles (the most recently changed first) and their lists'. */
/** A task not done, by its title and the name of its list. */
export interface OpenTask {
  title: string;
  list: string;
}

export interface UserNames {
  tasks: string[];
  /** Those of the tasks not done, each with the name of its list. */
  open: OpenTask[];
  lists: string[];
}

export interface GenerateRequest {
  system: string;
  messages: ChatMessage[];
  tools: readonly Tool[];
  /** The moment of the request and the user's zone, for reading "today" and "this week". */
  now: Date;
  timeZone: string;
  signal: AbortSignal;
  /**
   * The user's task titles and list names as they were when the message came, read once in a turn and only when
   * a provider asks: the offline assistant reads a message knowing which of its words name a task or a list.
   */
  names?: () => Promise<UserNames>;
  /** Called with each piece of reply text as it arrives, for streaming. */
  onText?: (delta: string) => void;
}

export interface Generation {
  text: string;
  toolCalls: ToolCallRequest[];
}

/**
 * The seam between the chat loop and whatever writes the replies: the offline assistant or a model. The loop
 * runs the tools, stores everything and calls `generate` again with the results until no tool is asked for.
 */
export interface Provider {
  name: string;
  /**
   * True when the provider's calls come from the user's own words read by code, which asks before changing
   * several tasks itself (the offline assistant). Otherwise the chat loop holds a second change to an existing
   * task in one turn until the user says yes: a model also reads text that others wrote.
   */
  confirmsBulkChanges?: boolean;
  generate(request: GenerateRequest): Promise<Generation>;
}

/** The provider could not answer: down, too slow, or refusing. */
export class ProviderError extends Error {
  readonly kind: 'unavailable' | 'timeout' | 'failed';
  constructor(kind: 'unavailable' | 'timeout' | 'failed', message: string) {
    super(message);
    this.name = 'ProviderError';
    this.kind = kind;
  }
}
