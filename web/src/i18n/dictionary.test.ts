import { describe, expect, it } from 'vitest';
import type { ActivityDescriptor } from '../api/engineTypes';
import activities from '../test/activities.json';
import { catalogueJa } from './catalogueJa';
import { en } from './en';
import { localeFromBrowser, translate, translateOr } from './I18nProvider';
import { ja } from './ja';

const catalogue = activities as ActivityDescriptor[];

describe('dictionaries', () => {
  it('gives every English key a Japanese text, with the same placeholders', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(ja[key], key).toBeTruthy();
      const holes = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(holes(ja[key]), key).toEqual(holes(en[key]));
    }
  });

  it('translates every activity type, category and input the engine serves (fixture: GET /api/engine/activities)', () => {
    const missing: string[] = [];
    const need = (key: string) => { if (!(key in catalogueJa)) missing.push(key); };
    for (const activity of catalogue) {
      need(`activity.${activity.type}`);
      need(`activityHelp.${activity.type}`);
      need(`category.${activity.category}`);
      if (activity.dynamicOutcomes) need(`dynamic.${activity.type}`);
      for (const outcome of activity.outcomes) need(`outcome.${outcome}`);
      for (const input of activity.inputs) {
        need(`input.${activity.type}.${input.name}`);
        if (input.description) need(`inputHelp.${activity.type}.${input.name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('fills placeholders', () => {
    expect(translate('en', 'playbooks.versionLabel', { version: 3 })).toBe('v3');
    expect(translate('ja', 'inbox.title', { user: 'aiko@example.com' })).toBe('aiko@example.com のタスク');
  });

  it("falls back to the server's words for what it names and the dictionary does not", () => {
    expect(translateOr('en', 'activity.CreateTask', 'Create task')).toBe('Create task');
    expect(translateOr('ja', 'activity.CreateTask', 'Create task')).toBe('タスク作成');
    expect(translateOr('ja', 'activity.Brand new', 'Brand new')).toBe('Brand new');
  });

  it('picks Japanese from the browser languages, English otherwise', () => {
    expect(localeFromBrowser(['ja-JP', 'en-US'])).toBe('ja');
    expect(localeFromBrowser(['en-US', 'ja'])).toBe('ja');
    expect(localeFromBrowser(['fr-FR'])).toBe('en');
  });
});
