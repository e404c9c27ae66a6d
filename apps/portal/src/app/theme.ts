import {
  Anchor,
  createTheme,
  DEFAULT_THEME,
  defaultVariantColorsResolver,
  parseThemeColor,
  type CSSVariablesResolver,
  type MantineColorsTuple,
  type VariantColorsResolver,
} from '@mantine/core';

/**
 * Mantine's defaults with contrast raised to WCAG AA (4.5:1), which the accessibility
 * check (axe-core) in the browser tests holds every page to: darker filled colours,
 * darker text on light badges and alerts, darker "dimmed" text.
 */
const variantColorResolver: VariantColorsResolver = (input) => {
  const colors = defaultVariantColorsResolver(input);
  const parsed = parseThemeColor({ color: input.color || input.theme.primaryColor, theme: input.theme });
  if (input.variant === 'light' && parsed.isThemeColor)
    return { ...colors, color: `var(--mantine-color-${parsed.color}-9)`, hoverColor: `var(--mantine-color-${parsed.color}-9)` };
  if ((input.variant === 'outline' || input.variant === 'subtle' || input.variant === 'transparent') && parsed.isThemeColor) {
    return {
      ...colors,
      color: `var(--mantine-color-${parsed.color}-9)`,
      border: input.variant === 'outline' ? `1px solid var(--mantine-color-${parsed.color}-9)` : colors.border,
    };
  }
  return colors;
};

/** Mantine's palette with a darker last shade where the default one is too light for text on a tinted background. */
function darkest(name: keyof typeof DEFAULT_THEME.colors, shade9: string): MantineColorsTuple {
  const c = DEFAULT_THEME.colors[name];
  return [c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], shade9];
}

export const theme = createTheme({
  colors: {
    green: darkest('green', '#1e6b30'),
    teal: darkest('teal', '#0b6b58'),
    orange: darkest('orange', '#a63a0a'),
    yellow: darkest('yellow', '#8a5a00'),
    cyan: darkest('cyan', '#0a6475'),
    lime: darkest('lime', '#4a6b0e'),
  },
  primaryColor: 'blue',
  primaryShade: 9,
  variantColorResolver,
  defaultRadius: 'sm',
  // Links in running text must not rely on colour alone (WCAG 1.4.1).
  components: { Anchor: Anchor.extend({ defaultProps: { underline: 'always' } }) },
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
});

export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-placeholder': 'var(--mantine-color-gray-7)',
    '--mantine-color-anchor': 'var(--mantine-color-blue-9)',
  },
  dark: {},
});
