import { memo, type DragEvent } from 'react';
import type { ActivityDescriptor } from '../../api/engineTypes';
import { useI18n } from '../../i18n/I18nProvider';
import { paletteDragType } from './paletteDrag';

/** Drag onto the canvas, or press Enter / double-click to add it in the middle of the view. */
export const PaletteItem = memo(function PaletteItem({ descriptor, onAdd }: { descriptor: ActivityDescriptor; onAdd: (d: ActivityDescriptor) => void }) {
  const { t, tOr } = useI18n();
  const start = (event: DragEvent) => {
    event.dataTransfer.setData(paletteDragType, descriptor.type);
    event.dataTransfer.effectAllowed = 'copy';
  };
  return (
    <div
      className="palette-item" draggable onDragStart={start} role="button" tabIndex={0}
      title={tOr(`activityHelp.${descriptor.type}`, descriptor.description)}
      data-activity-type={descriptor.type}
      onDoubleClick={() => onAdd(descriptor)}
      onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onAdd(descriptor); } }}
    >
      <span className="category-dot" aria-hidden="true" />
      {tOr(`activity.${descriptor.type}`, descriptor.displayName)}
      {descriptor.canWait && <span className="palette-wait" title={t('designer.canWait')} />}
    </div>
  );
});
