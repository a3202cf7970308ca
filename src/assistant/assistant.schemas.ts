import { z } from 'zod';
import { userParams } from '../auth/index.ts';

export const MESSAGE_MAX = 4_000;

const conversationId = z.number().int().min(1).max(2_147_483_647);

export const chatBody = z
  .strictObject({
    message: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(MESSAGE_MAX, `must be at most ${MESSAGE_MAX} characters`)
      .describe('What you want, in plain words: "add buy milk tomorrow", "what’s due today?", "undo"'),
    conversation_id: conversationId
      .optional()
      .describe('Continue this conversation; leave it out to start a new one'),
  })
  .meta({ id: 'ChatRequest', example: { message: 'Remind me to call mum tomorrow at 5pm' } });

const toolCall = z.object({
  tool_name: z.string().describe('add_task, list_tasks, complete_task, update_task or delete_task'),
  parameters: z.unknown().describe('The arguments the tool was called with'),
  result: z
    .union([
      z.object({ success: z.literal(true), data: z.record(z.string(), z.unknown()) }),
      z.object({ success: z.literal(false), code: z.string(), error: z.string() }),
    ])
    .describe('What the tool returned, or why it refused'),
});

export const chatReplySchema = z
  .object({
    conversation_id: z.number().int().describe('Send it back to continue the conversation'),
    response: z.string().describe('The assistant’s reply'),
    tool_calls: z.array(toolCall).describe('What the assistant did to your tasks, in order'),
  })
  .meta({ id: 'ChatReply' });

export const conversationSchema = z
  .object({
    id: z.number().int(),
    title: z.string().describe('The start of the first message'),
    created_at: z.string().describe('ISO 8601'),
    updated_at: z.string().describe('ISO 8601; the last message'),
  })
  .meta({ id: 'Conversation' });

export const messageSchema = z
  .object({
    id: z.number().int(),
    role: z.enum(['user', 'assistant']),
    content: z.string(),
    tool_calls: z.array(toolCall),
    created_at: z.string().describe('ISO 8601'),
  })
  .meta({ id: 'Message' });

export const conversationParams = userParams.extend({
  conversation_id: z
    .string()
    .regex(/^\d{1,10}$/, 'must be a conversation id (a positive whole number)')
    .transform(Number)
    .pipe(conversationId),
});
