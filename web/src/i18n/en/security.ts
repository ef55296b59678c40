import type { Widen } from '../vi';
import type { securityVi } from '../vi/security';

export const securityEn: Widen<typeof securityVi> = {
  menu: 'Two-factor sign-in',
  title: 'Two-factor sign-in (6-digit code)',
  intro:
    'When on, every sign-in also needs the 6-digit code from an authenticator app on your phone (Google Authenticator, Microsoft Authenticator…), so a leaked password alone does not open the account.',
  required: 'Your role requires two-factor sign-in. Please turn it on to continue.',
  enabled: 'Two-factor sign-in is on.',
  start: 'Create the QR code',
  scan: 'Scan the QR code with your authenticator app, or type this key:',
  code: '6-digit code from the app',
  enable: 'Turn on two-factor sign-in',
  enabledDone: 'Two-factor sign-in is on. Your other sessions were ended.',
  disable: 'Turn off two-factor sign-in',
  disableHint: 'Enter your password to turn it off.',
  password: 'Password',
  disabledDone: 'Two-factor sign-in is off.',
  signInCode: 'Verification code (6 digits)',
  signInCodeHint: 'Open the authenticator app on your phone and type the code it shows.',
};
