import { useEffect, useRef, useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import type * as Y from 'yjs';
import { rpcErrorCode } from '../../../shared/rpc/errors';
import type { StoryEditor, VersionSummary } from '../../../shared/server-api/workflow';
import { useReview } from '../state/reviewStore';
import { core } from '../core/coreContext';
import { localeOf } from '../i18n/i18n';
import { formatFull } from '../list/formatTime';
import { nameResolver } from '../comments/threads';
import { useNewsroom } from '../state/newsroomStore';
import { useStoryList } from '../state/storyListStore';
import { DiffView } from './DiffView';
import { editedSince } from './editedSince';
import { diffStoryDocs, docFromState, type StoryDiff } from './storyDiff';
import { comparisonOf, NOW, togglePick, versionsNewestFirst, type Comparison } from './versionPick';

type DiffState = { state: 'idle' } | { state: 'loading' } | { state: 'failed'; code: string } | { state: 'ready'; diff: StoryDiff; comparison: Comparison };

/**
 * Loads what a comparison needs and diffs it. A version's bytes come from workflow.version
 * (core answers from its cache offline) and are decoded once for the life of the panel; "now"
 * is the open document itself.
 */
function useDiff(storyId: string, doc: Y.Doc, comparison: Comparison | null): DiffState {
  // Versions never change: each is fetched and decoded once for the life of the panel.
  const cache = useRef(new Map<string, Y.Doc>());
  useEffect(() => {
    const docs = cache.current;
    return () => {
      docs.forEach((d) => d.destroy());
      docs.clear();
    };
  }, []);
  const [result, setResult] = useState<DiffState>({ state: 'idle' });
  const fromId = comparison?.from.id ?? null;
  const toId = comparison ? (comparison.to === NOW ? NOW : comparison.to.id) : null;
  // Compared with now: edits made meanwhile (here or arriving from others) redo the diff, at most twice a second.
  const [revision, setRevision] = useState(0);
  useEffect(() => {
    if (toId !== NOW) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const onUpdate = () => {
      timer ??= setTimeout(() => {
        timer = null;
        setRevision((r) => r + 1);
      }, 500);
    };
    doc.on('update', onUpdate);
    return () => {
      doc.off('update', onUpdate);
      if (timer) clearTimeout(timer);
    };
  }, [doc, toId]);
  useEffect(() => {
    if (!comparison) {
      setResult({ state: 'idle' });
      return;
    }
    let live = true;
    // A redo for new edits keeps showing the last diff until the new one is ready.
    setResult((r) => (r.state === 'ready' && revision > 0 ? r : { state: 'loading' }));
    const load = async (versionId: string) => {
      const known = cache.current.get(versionId);
      if (known) return known;
      const { state } = await core().client.services.workflow.version({ storyId, versionId });
      const decoded = docFromState(state);
      cache.current.set(versionId, decoded);
      return decoded;
    };
    (async () => {
      const before = await load(comparison.from.id);
      // "Now" is the open document itself: read in place, never copied.
      const after = comparison.to === NOW ? doc : await load(comparison.to.id);
      return diffStoryDocs(before, after);
    })().then(
      (diff) => live && setResult({ state: 'ready', diff, comparison }),
      (error: unknown) => {
        console.warn('a version could not be compared', error);
        if (live) setResult({ state: 'failed', code: rpcErrorCode(error) });
      },
    );
    return () => {
      live = false;
    };
    // The comparison is named by its ids; a new object for the same pair changes nothing.
  }, [storyId, doc, fromId, toId, revision]);
  return result;
}

function VersionItem({ version, picked, onPick }: { version: VersionSummary; picked: boolean; onPick: () => void }): JSX.Element {
  const { t, i18n } = useTranslation();
  const directory = useNewsroom((s) => s.directory);
  const me = useNewsroom((s) => s.account?.user);
  const name = nameResolver(directory, me, t('comments.unknownAuthor'))(version.createdBy);
  return (
    <li>
      <button
        type="button"
        className={`version-item${picked ? ' is-picked' : ''}`}
        data-testid="version-item"
        data-kind={version.kind}
        data-version-id={version.id}
        aria-pressed={picked}
        onClick={onPick}
      >
        <span className="version-kind">{t(`history.kind.${version.kind}`)}</span>
        <span className="version-by">{t('history.by', { name, time: formatFull(version.createdAt, localeOf(i18n.language)) })}</span>
      </button>
    </li>
  );
}

const NO_EDITORS: StoryEditor[] = [];

function HistoryDrawer({ storyId, doc, onClose }: { storyId: string; doc: Y.Doc; onClose: () => void }): JSX.Element {
  const { t, i18n } = useTranslation();
  const review = useReview((s) => (s.storyId === storyId ? s.review : null));
  const unavailable = useReview((s) => s.unavailable);
  const directory = useNewsroom((s) => s.directory);
  const me = useNewsroom((s) => s.account?.user);
  const nameOf = nameResolver(directory, me, t('comments.unknownAuthor'));
  const versions = versionsNewestFirst(review?.versions ?? []);
  const [picked, setPicked] = useState<string[]>([]);
  const comparison = comparisonOf(picked, versions);
  const diff = useDiff(storyId, doc, comparison);
  const label = (v: VersionSummary | typeof NOW) => (v === NOW ? t('history.now') : t(`history.kind.${v.kind}`));
  const editors = useReview((s) => (s.storyId === storyId ? (s.review?.editors ?? NO_EDITORS) : NO_EDITORS));
  // Edits made here and not yet taken by the server (the list's projection says).
  const syncState = useStoryList((s) => s.rows.find((r) => r?.id === storyId)?.syncState ?? null);
  /** "Changes since that version by …": whose edits reached the server after it, and "you" for this profile's own. */
  const sinceAttribution = (version: VersionSummary): string => {
    const by = editedSince(editors, version.createdAt, me?.id ?? null, syncState);
    const names = [...by.others.map((id) => nameOf(id)), ...(by.me ? [t('history.you')] : [])];
    if (names.length === 0) return t('history.changedSince');
    return t('history.changedSinceBy', { names: new Intl.ListFormat(localeOf(i18n.language), { type: 'conjunction' }).format(names) });
  };

  return (
    <aside
      className="history-drawer"
      data-testid="history-panel"
      aria-label={t('history.heading')}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onClose();
        }
      }}
    >
      <div className="history-head">
        <h2>{t('history.heading')}</h2>
        <button type="button" className="btn btn-small btn-ghost" data-testid="history-close" onClick={onClose} autoFocus>
          {t('history.close')}
        </button>
      </div>
      {unavailable ? (
        <p className="history-note">{t('history.unavailable')}</p>
      ) : versions.length === 0 ? (
        <p className="history-note">{t('history.empty')}</p>
      ) : (
        <>
          <p className="history-note">{t('history.pickHint')}</p>
          <ul className="version-list">
            {versions.map((v) => (
              <VersionItem key={v.id} version={v} picked={picked.includes(v.id)} onPick={() => setPicked((p) => togglePick(p, v.id))} />
            ))}
          </ul>
        </>
      )}
      {diff.state === 'loading' ? (
        <p className="history-note" role="status">
          {t('history.loading')}
        </p>
      ) : diff.state === 'failed' ? (
        <p className="history-note is-error" role="alert">
          {t('history.failed', { code: diff.code })}
        </p>
      ) : diff.state === 'ready' ? (
        <DiffView
          diff={diff.diff}
          directory={directory}
          title={t('history.comparing', { from: label(diff.comparison.from), to: label(diff.comparison.to) })}
          attribution={
            diff.comparison.to === NOW
              ? sinceAttribution(diff.comparison.from)
              : t('history.changedBy', { name: nameOf(diff.comparison.to.createdBy) })
          }
        />
      ) : null}
    </aside>
  );
}

/** The editor bar's `history-open` button and the drawer it opens: versions and what changed between them. */
export function HistoryPanel({ storyId, doc }: { storyId: string; doc: Y.Doc }): JSX.Element {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const count = useReview((s) => (s.storyId === storyId ? (s.review?.versions.length ?? 0) : 0));
  return (
    <>
      <button
        type="button"
        className="btn btn-ghost"
        data-testid="history-open"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        <span>{t('history.open')}</span>
        {count > 0 ? <span className="history-count">{count}</span> : null}
      </button>
      {open ? <HistoryDrawer storyId={storyId} doc={doc} onClose={() => setOpen(false)} /> : null}
    </>
  );
}
