import { useMemo, useState } from 'react';
import type { ActivityDescriptor } from '../../api/engineTypes';
import { useI18n } from '../../i18n/I18nProvider';
import { useDesigner } from '../state/DesignerContext';
import { PaletteItem } from './PaletteItem';

const categoryOrder = ['Flow', 'Tasks', 'Timing', 'Messaging', 'Data', 'Integration'];

/** The activity types from GET /api/engine/activities, grouped by category; drag one onto the canvas to add it. */
export function ActivityPalette({ onAdd }: { onAdd: (descriptor: ActivityDescriptor) => void }) {
  const { t, tOr } = useI18n();
  const descriptors = useDesigner((s) => s.descriptors);
  const [filter, setFilter] = useState('');

  const groups = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const byCategory = new Map<string, ActivityDescriptor[]>();
    for (const descriptor of descriptors.values()) {
      const label = tOr(`activity.${descriptor.type}`, descriptor.displayName).toLowerCase();
      if (needle && !label.includes(needle) && !descriptor.type.toLowerCase().includes(needle)) continue;
      byCategory.set(descriptor.category, [...(byCategory.get(descriptor.category) ?? []), descriptor]);
    }
    const rank = (c: string) => (categoryOrder.includes(c) ? categoryOrder.indexOf(c) : categoryOrder.length);
    return [...byCategory.entries()].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
  }, [descriptors, filter, tOr]);

  return (
    <aside className="palette" aria-label={t('designer.palette')}>
      <input type="search" className="palette-filter" placeholder={t('designer.paletteFilter')} value={filter} onChange={(e) => setFilter(e.target.value)} />
      {groups.map(([category, items]) => (
        <section key={category} className={`palette-group category-${category.toLowerCase()}`}>
          <h3>{tOr(`category.${category}`, category)}</h3>
          {items.map((descriptor) => <PaletteItem key={descriptor.type} descriptor={descriptor} onAdd={onAdd} />)}
        </section>
      ))}
      <p className="palette-hint muted small">{t('designer.paletteHint')}</p>
    </aside>
  );
}
