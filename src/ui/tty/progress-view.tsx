/**
 * The terminal progress view: a header for the stack, one block per compose service with its
 * resources beneath (and, once ECS reports, the rollout counts, stopped tasks and trouble
 * events), then the project-level resources and notices. Fits 80 columns: every row is built
 * from fixed-width columns that truncate. Pure: `state` and `now` come in as props; the only
 * effect is ink-spinner's own animation.
 */
import React from 'react';
import { Box, Text } from 'ink';
import Spinner from 'ink-spinner';
import type { ProgressState, ResourceRow, RowState, ServiceBlock } from '../state.js';
import { completedCount } from '../state.js';
import { firstSentence, formatDuration, operationVerb, shortType, statusWords } from '../format.js';

export const WIDTH = 80;
const ID_WIDTH = 28;
const TYPE_WIDTH = 20;
const STATUS_WIDTH = 20;
const TIME_WIDTH = 7;
/** log lines shown under the latest stopped task */
const MAX_LINES = 3;

export interface ProgressViewProps {
  state: ProgressState;
  /** the time to measure running rows against */
  now: Date;
  /**
   * The terminal's height. When the full view would not fit, finished rows fold into one
   * summary line per block: a view taller than the terminal cannot be redrawn in place.
   */
  rows?: number;
}

/** Tabs and control characters of a log line would break the row layout. */
function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/\t/g, '  ').replace(/[\u0000-\u001f\u007f]/g, '');
}

function isDone(r: ResourceRow): boolean {
  return r.state === 'complete' || r.state === 'deleted' || r.state === 'skipped';
}

/** Lines the full view takes (long lines that wrap are counted once: this is a lower bound). */
export function fullHeight(state: ProgressState): number {
  let n = state.notices.length + (state.operation ? 1 : 0) + (state.finished ? 1 + (state.finished.follow?.length ?? 0) : 0);
  for (const b of state.services) {
    n += 1 + b.resources.length + b.resources.filter((r) => r.state === 'failed' && r.reason).length;
    n += (b.rollout ? 1 : 0) + b.stoppedTasks.length + Math.min(MAX_LINES, b.stoppedTasks.at(-1)?.lastLines?.length ?? 0) + b.serviceEvents.length;
    n += b.logs?.length ?? 0;
  }
  if (state.project.length) n += 1 + state.project.length;
  return n;
}

function Folded({ rows }: { rows: ResourceRow[] }): React.JSX.Element | null {
  const done = rows.filter(isDone).length;
  if (done === 0) return null;
  return (
    <Box paddingLeft={3}>
      <Mark state="complete" />
      <Text dimColor>{`${done} resource${done === 1 ? '' : 's'} done`}</Text>
    </Box>
  );
}

function Mark({ state }: { state: RowState | undefined }): React.JSX.Element {
  switch (state) {
    case 'complete':
    case 'deleted':
      return <Text color="green">✔ </Text>;
    case 'skipped':
      return <Text color="cyan">◆ </Text>;
    case 'failed':
      return <Text color="red">✘ </Text>;
    case 'in-progress':
      return (
        <Text color="yellow">
          <Spinner type="dots" />{' '}
        </Text>
      );
    default:
      return <Text dimColor>· </Text>;
  }
}

function elapsed(start: string | undefined, end: string | undefined, now: Date): string {
  if (!start) return '';
  return formatDuration((end ? Date.parse(end) : now.getTime()) - Date.parse(start));
}

function Cell({ width, children, dim, color }: { width: number; children: string; dim?: boolean; color?: string }): React.JSX.Element {
  return (
    <Box width={width} flexShrink={0}>
      <Text wrap="truncate-end" dimColor={dim ?? false} {...(color ? { color } : {})}>
        {children}
      </Text>
    </Box>
  );
}

function Detail({ indent, children, color }: { indent: number; children: string; color?: string }): React.JSX.Element {
  return (
    <Box paddingLeft={indent} width={WIDTH}>
      <Text wrap="wrap" {...(color ? { color } : {})}>
        {children}
      </Text>
    </Box>
  );
}

function Row({ row, now }: { row: ResourceRow; now: Date }): React.JSX.Element {
  const color = row.state === 'failed' || row.hadFailure ? 'red' : row.state === 'complete' || row.state === 'deleted' ? 'green' : undefined;
  return (
    <Box flexDirection="column">
      <Box paddingLeft={3}>
        <Mark state={row.state} />
        <Cell width={ID_WIDTH}>{row.logicalId}</Cell>
        <Cell width={TYPE_WIDTH} dim>
          {shortType(row.resourceType, TYPE_WIDTH - 1)}
        </Cell>
        <Cell width={STATUS_WIDTH} {...(color ? { color } : {})}>
          {statusWords(row.status)}
        </Cell>
        <Cell width={TIME_WIDTH} dim>
          {elapsed(row.startedAt, row.endedAt, now).padStart(TIME_WIDTH - 1)}
        </Cell>
      </Box>
      {row.state === 'failed' && row.reason ? (
        <Detail indent={5} color="red">
          {firstSentence(row.reason)}
        </Detail>
      ) : null}
    </Box>
  );
}

function Rows({ rows, now, compact }: { rows: ResourceRow[]; now: Date; compact: boolean }): React.JSX.Element {
  return (
    <>
      {compact ? <Folded rows={rows} /> : null}
      {(compact ? rows.filter((r) => !isDone(r)) : rows).map((row) => (
        <Row key={row.logicalId} row={row} now={now} />
      ))}
    </>
  );
}

function Service({ block, now, compact }: { block: ServiceBlock; now: Date; compact: boolean }): React.JSX.Element {
  const r = block.rollout;
  return (
    <Box flexDirection="column">
      <Box paddingLeft={1}>
        <Text bold>{block.name}</Text>
      </Box>
      <Rows rows={block.resources} now={now} compact={compact} />
      {r ? (
        <Detail indent={5}>
          {`tasks ${r.running}/${r.desired} running, ${r.pending} pending, ${r.failed} failed${r.rolloutState ? ` · rollout ${r.rolloutState.toLowerCase().replace(/_/g, ' ')}` : ''}`}
        </Detail>
      ) : null}
      {/* the newest lines of the running new tasks; one row each, cut at the view's width */}
      {(block.logs ?? []).map((l, i) => (
        <Box key={`log-${i}`} paddingLeft={5} width={WIDTH}>
          <Text dimColor wrap="truncate-end">
            {`${l.taskId.slice(0, 8)} › ${oneLine(l.message)}`}
          </Text>
        </Box>
      ))}
      {block.stoppedTasks.map((t, i) => (
        <Box key={t.taskId} flexDirection="column">
          <Detail indent={5} color="red">
            {`task ${t.taskId.slice(0, 8)} stopped: ${t.reason}`}
          </Detail>
          {/* the latest stopped task keeps its last lines on screen */}
          {i === block.stoppedTasks.length - 1
            ? (t.lastLines ?? []).slice(-MAX_LINES).map((line, j) => (
                <Box key={j} paddingLeft={7} width={WIDTH}>
                  <Text dimColor wrap="truncate-end">
                    {`│ ${oneLine(line)}`}
                  </Text>
                </Box>
              ))
            : null}
        </Box>
      ))}
      {block.serviceEvents.map((m, i) => (
        <Detail key={i} indent={5} color="yellow">
          {m}
        </Detail>
      ))}
    </Box>
  );
}

function Header({ state, now }: ProgressViewProps): React.JSX.Element {
  const total = state.expectedChanges;
  const count = total !== undefined ? `${Math.min(completedCount(state), total)}/${total}` : '';
  const stackState: RowState | undefined = state.finished
    ? state.finished.outcome === 'failed'
      ? 'failed'
      : state.finished.outcome === 'interrupted'
        ? 'pending'
        : 'complete'
    : (state.stackState ?? 'in-progress');
  return (
    <Box>
      <Mark state={stackState} />
      <Cell width={ID_WIDTH + 2}>{`${operationVerb(state.operation)} ${state.stack ?? ''}`}</Cell>
      <Cell width={TYPE_WIDTH + STATUS_WIDTH - 8}>{state.stackStatus ? statusWords(state.stackStatus) : ''}</Cell>
      <Cell width={8} dim>
        {count.padStart(7)}
      </Cell>
      <Cell width={TIME_WIDTH} dim>
        {elapsed(state.startedAt, state.endedAt, now).padStart(TIME_WIDTH - 1)}
      </Cell>
    </Box>
  );
}

export function ProgressView({ state, now, rows }: ProgressViewProps): React.JSX.Element {
  const services = state.services.filter((s) => s.resources.length > 0 || s.rollout || s.stoppedTasks.length > 0 || (s.logs?.length ?? 0) > 0);
  const compact = rows !== undefined && fullHeight(state) > rows - 1;
  return (
    <Box flexDirection="column" width={WIDTH}>
      {state.notices.map((n, i) => (
        <Detail key={i} indent={0} {...(n.level === 'warning' ? { color: 'yellow' } : {})}>
          {n.level === 'warning' ? `! ${n.message}` : n.message}
        </Detail>
      ))}
      {state.operation ? <Header state={state} now={now} /> : null}
      {services.map((s) => (
        <Service key={s.name} block={s} now={now} compact={compact} />
      ))}
      {state.project.length > 0 ? (
        <Box flexDirection="column">
          <Box paddingLeft={1}>
            <Text bold dimColor>
              project
            </Text>
          </Box>
          <Rows rows={state.project} now={now} compact={compact} />
        </Box>
      ) : null}
      {state.finished && state.finished.outcome !== 'failed' ? (
        <Detail indent={0}>{state.finished.message}</Detail>
      ) : null}
      {state.finished?.follow?.map((f) => (
        <Detail key={f} indent={2} color="cyan">
          {f}
        </Detail>
      ))}
    </Box>
  );
}
