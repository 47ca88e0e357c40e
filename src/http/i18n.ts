import type { FastifyReply, FastifyRequest } from 'fastify';

export type Lang = 'ja' | 'en';
export const LANGS: readonly Lang[] = ['ja', 'en'];
const LANG_COOKIE = 'cc_lang';

/**
 * The page language: ?lang= (remembered in a cookie so that form posts and redirects keep it),
 * then that cookie, then Accept-Language, then Japanese — the home audience of the center.
 */
export function pickLang(req: FastifyRequest, reply?: FastifyReply): Lang {
  const q = (req.query as Record<string, unknown> | undefined)?.['lang'];
  if (q === 'ja' || q === 'en') {
    reply?.setCookie(LANG_COOKIE, q, { path: '/', sameSite: 'lax', httpOnly: true, maxAge: 365 * 86400 });
    return q;
  }
  const c = req.cookies?.[LANG_COOKIE];
  if (c === 'ja' || c === 'en') return c;
  return fromAcceptLanguage(req.headers['accept-language']);
}

/** The first ja or en in Accept-Language by quality; ja when neither appears. */
export function fromAcceptLanguage(header: string | undefined): Lang {
  if (header === undefined) return 'ja';
  let best: { lang: Lang; q: number } | null = null;
  for (const part of header.slice(0, 500).split(',')) {
    const [tag = '', ...params] = part.trim().split(';');
    const base = tag.trim().toLowerCase().split('-')[0];
    if (base !== 'ja' && base !== 'en') continue;
    const qp = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qp === undefined ? 1 : Number(qp.slice(2));
    if (!Number.isFinite(q) || q <= 0) continue;
    if (best === null || q > best.q) best = { lang: base, q };
  }
  return best?.lang ?? 'ja';
}

const en = {
  siteName: 'Clean Center',
  switchTo: '日本語',
  notFoundTitle: 'Not found',
  notFoundBody: 'This page does not exist, or the link has expired. Check the address in your notice.',
  errorTitle: 'Something went wrong',
  errorBody: 'The request could not be completed.',
  rateLimited: 'Too many attempts. Please wait a few minutes and try again.',
  csrfFailed: 'The form expired or was sent from another page. Reload the page and try again.',
  // Public site
  trackTitle: 'Your computer may be infected',
  trackIntro: 'Honeypots operated by the center observed attacks coming from your internet connection. Your provider sent you a notice with this link. The center does not know your name or address.',
  history: 'What was observed',
  ticket: 'Ticket number',
  firstSeen: 'First seen',
  lastSeen: 'Last seen',
  attackCount: 'Attacks observed',
  botNames: 'Malware names',
  days: 'Days with activity',
  stepsTitle: 'What to do',
  step1: 'Download the cleaner issued by the center and run it on every computer at home.',
  step2: 'Answer the five questions below so that we know the cleanup worked.',
  downloadLink: 'Download the cleaner',
  safetyNote: 'The center never asks for a payment or a password. You can check that a notice is genuine with its ticket number.',
  checkLink: 'Check a notice',
  downloadTitle: 'The cleaner',
  downloadBody: 'The cleaner is issued and signed by the center and tailored to the malware seen from your connection. The signed cleaner is not yet published for this notice; please come back to this page later. Do not run programs from other sources that claim to be this cleaner.',
  backToHistory: 'Back to the observation history',
  checklistTitle: 'Five-question checklist',
  q1: 'Did you run the cleaner on every computer at home?',
  q2: 'Did the cleaner finish without errors?',
  q3: 'Have you installed all operating-system updates?',
  q4: 'Is your anti-virus software up to date?',
  q5: 'Have you changed passwords that were used on the infected computer?',
  yes: 'Yes',
  no: 'No',
  dontKnow: "Don't know",
  send: 'Send',
  thanksTitle: 'Thank you',
  thanksBody: 'Your answers were recorded. If attacks from your connection continue, your provider will contact you again.',
  checklistIncomplete: 'Please answer every question.',
  checkTitle: 'Is my notice genuine?',
  checkIntro: 'Enter the ticket number printed in the notice (for example CC-7K4M-Q2).',
  check: 'Check',
  checkFound: 'A notice with this ticket number exists.',
  checkNotFound: 'No notice with this ticket number is known. Do not follow links or instructions in the message you received.',
  provider: 'Provider',
  observed: 'Observed',
  // Portal and operator
  portalTitle: 'ISP portal',
  portalLogin: 'Sign in with your API token',
  apiToken: 'API token',
  signIn: 'Sign in',
  signOut: 'Sign out',
  badLogin: 'Sign-in failed.',
  openRequests: 'Identification requests',
  week: 'Week',
  created: 'Created',
  items: 'Items',
  answered: 'Answered',
  download: 'Download',
  uploadTitle: 'Upload answers (CSV)',
  uploadHelp: 'Header: tracking_id,result,subscriber_key. result is identified, not-found or not-our-customer. The whole file is applied or nothing.',
  upload: 'Upload',
  uploadApplied: 'Answers applied',
  uploadRejected: 'Nothing was applied. Rejected rows:',
  row: 'Row',
  trackingId: 'Tracking ID',
  reason: 'Reason',
  figures: 'Figures',
  noRequests: 'No requests yet.',
  operatorTitle: 'Operator',
  username: 'User name',
  password: 'Password',
  isps: 'ISPs',
  addIsp: 'Add an ISP',
  ispId: 'ID',
  ispName: 'Name',
  asns: 'ASNs',
  prefixes: 'Prefixes',
  listHelp: 'Separate by spaces, commas or new lines.',
  save: 'Save',
  edit: 'Edit',
  rotateToken: 'Issue a new token',
  rotateWarning: 'The old token stops working at once.',
  tokenShownOnce: 'New API token (shown only once; copy it now):',
  audit: 'Audit log',
  at: 'Time',
  actor: 'Actor',
  action: 'Action',
  target: 'Target',
  details: 'Details',
  saved: 'Saved.',
};

export type Messages = Record<keyof typeof en, string>;

const ja: Messages = {
  siteName: 'クリーンセンター',
  switchTo: 'English',
  notFoundTitle: 'ページが見つかりません',
  notFoundBody: 'このページは存在しないか、リンクの有効期限が切れています。通知に記載されたアドレスをご確認ください。',
  errorTitle: 'エラーが発生しました',
  errorBody: 'リクエストを完了できませんでした。',
  rateLimited: '試行回数が多すぎます。数分待ってからもう一度お試しください。',
  csrfFailed: 'フォームの有効期限が切れたか、別のページから送信されました。ページを再読み込みしてもう一度お試しください。',
  trackTitle: 'お使いのコンピュータがボットに感染しているおそれがあります',
  trackIntro: 'センターが運用するハニーポットで、お客様のインターネット接続からの攻撃が観測されました。このリンクはご契約のプロバイダから通知されたものです。センターはお客様の氏名や住所を知りません。',
  history: '観測の記録',
  ticket: '受付番号',
  firstSeen: '初回観測',
  lastSeen: '最終観測',
  attackCount: '観測された攻撃の回数',
  botNames: 'マルウェア名',
  days: '活動が観測された日',
  stepsTitle: 'お願いしたいこと',
  step1: 'センターが提供する駆除ツールをダウンロードし、ご家庭のすべてのコンピュータで実行してください。',
  step2: '駆除が完了したことを確認するため、下の5つの質問にお答えください。',
  downloadLink: '駆除ツールをダウンロード',
  safetyNote: 'センターが金銭やパスワードを求めることはありません。通知が本物かどうかは受付番号で確認できます。',
  checkLink: '通知の確認',
  downloadTitle: '駆除ツール',
  downloadBody: '駆除ツールはセンターが発行・署名し、お客様の接続から観測されたマルウェアに合わせて用意されます。この通知向けの署名済み駆除ツールはまだ公開されていません。後ほどこのページを再度ご確認ください。この駆除ツールを名乗る他の配布元のプログラムは実行しないでください。',
  backToHistory: '観測の記録に戻る',
  checklistTitle: '5つの確認項目',
  q1: 'ご家庭のすべてのコンピュータで駆除ツールを実行しましたか？',
  q2: '駆除ツールはエラーなく終了しましたか？',
  q3: 'OSの更新プログラムをすべて適用しましたか？',
  q4: 'ウイルス対策ソフトは最新の状態ですか？',
  q5: '感染したコンピュータで使っていたパスワードを変更しましたか？',
  yes: 'はい',
  no: 'いいえ',
  dontKnow: 'わからない',
  send: '送信',
  thanksTitle: 'ありがとうございました',
  thanksBody: '回答を記録しました。お客様の接続からの攻撃が続く場合は、プロバイダから再度ご連絡します。',
  checklistIncomplete: 'すべての質問にお答えください。',
  checkTitle: '通知が本物か確認する',
  checkIntro: '通知に記載された受付番号（例: CC-7K4M-Q2）を入力してください。',
  check: '確認',
  checkFound: 'この受付番号の通知は存在します。',
  checkNotFound: 'この受付番号の通知は確認できません。受け取ったメッセージのリンクや指示には従わないでください。',
  provider: 'プロバイダ',
  observed: '観測期間',
  portalTitle: 'ISPポータル',
  portalLogin: 'APIトークンでサインイン',
  apiToken: 'APIトークン',
  signIn: 'サインイン',
  signOut: 'サインアウト',
  badLogin: 'サインインできませんでした。',
  openRequests: '識別依頼',
  week: '週',
  created: '作成日時',
  items: '件数',
  answered: '回答済み',
  download: 'ダウンロード',
  uploadTitle: '回答のアップロード（CSV）',
  uploadHelp: 'ヘッダ: tracking_id,result,subscriber_key。result は identified、not-found、not-our-customer のいずれか。ファイル全体が適用されるか、何も適用されないかのどちらかです。',
  upload: 'アップロード',
  uploadApplied: '適用した回答',
  uploadRejected: '何も適用されませんでした。却下された行:',
  row: '行',
  trackingId: '追跡ID',
  reason: '理由',
  figures: '統計',
  noRequests: '依頼はまだありません。',
  operatorTitle: 'オペレータ',
  username: 'ユーザー名',
  password: 'パスワード',
  isps: 'ISP一覧',
  addIsp: 'ISPを追加',
  ispId: 'ID',
  ispName: '名称',
  asns: 'AS番号',
  prefixes: 'プレフィックス',
  listHelp: '空白、カンマ、改行で区切ってください。',
  save: '保存',
  edit: '編集',
  rotateToken: '新しいトークンを発行',
  rotateWarning: '古いトークンは直ちに無効になります。',
  tokenShownOnce: '新しいAPIトークン（一度だけ表示されます。今すぐコピーしてください）:',
  audit: '監査ログ',
  at: '日時',
  actor: '実行者',
  action: '操作',
  target: '対象',
  details: '詳細',
  saved: '保存しました。',
};

export const MESSAGES: Record<Lang, Messages> = { en, ja };
