import { stageTone } from './plan.js';
import { checkUrl, formatDate, type Block, type NoticeContent, type NoticeDocument, type NoticeIncident } from './content.js';

/**
 * The notice texts, per stage and language. Stage 1 informs, stage 2 asks, stage 3 and above
 * are urgent. Every notice carries the same facts and the same anti-phishing guidance; only the
 * tone and the opening change.
 */
export function noticeDocument(c: NoticeContent): NoticeDocument {
  return c.language === 'ja' ? japanese(c) : english(c);
}

function bots(i: NoticeIncident, none: string, sep: string): string {
  return i.botNames.length > 0 ? i.botNames.join(sep) : none;
}

function japanese(c: NoticeContent): NoticeDocument {
  const tone = stageTone(c.stage);
  const first = c.incidents[0] as NoticeIncident;
  const d = (s: string): string => formatDate(s, 'ja', c.timeZone);
  const subject = {
    inform: `【${c.ispName}】お使いのパソコンがボットに感染しているおそれがあります（受付番号 ${first.ticket}）`,
    ask: `【${c.ispName}】ボットの駆除をお願いします（再送・受付番号 ${first.ticket}）`,
    urgent: `【${c.ispName}】【重要・至急】ボットの感染が続いています（受付番号 ${first.ticket}）`,
  }[tone];
  const opening = {
    inform:
      'ボット対策センターの観測用システムが、お客様の回線から、ボット（外部から遠隔操作されるウイルス）に感染したコンピュータに特有の通信を観測しました。お客様のパソコンなどが感染しているおそれがあります。',
    ask: '先日お送りしたお知らせの後も、お客様の回線から同じ種類の通信が観測されています。お手数ですが、下記の手順で駆除をお願いいたします。',
    urgent: `これまで${c.stage - 1}回お知らせしましたが、お客様の回線からボットの通信が続いています。感染したパソコンは、他の方への攻撃や、お客様の情報の流出に使われるおそれがあります。至急、駆除をお願いいたします。`,
  }[tone];
  const blocks: Block[] = [
    { kind: 'p', text: `${c.subscriberName ?? 'お客様'} 様` },
    { kind: 'p', text: opening },
    { kind: 'h', text: '■ 観測された通信' },
    {
      kind: 'list',
      items: c.incidents.map((i) => `受付番号 ${i.ticket}：${d(i.firstSeen)}〜${d(i.lastSeen)}、${i.attackCount}回、ボット名 ${bots(i, '不明', '、')}`),
    },
    { kind: 'h', text: '■ 観測の記録をご覧になるには' },
    { kind: 'p', text: '下記の専用リンクから、観測した日時と通信の内容をご確認いただけます。' },
    ...c.incidents.map((i): Block => ({ kind: 'link', label: `受付番号 ${i.ticket} の専用リンク`, url: i.trackingUrl })),
    { kind: 'h', text: '■ お願い' },
    { kind: 'p', text: tone === 'urgent' ? '至急、感染したパソコンからボットを駆除してください。' : 'お使いのパソコンからボットを駆除してください。駆除は週末などお時間のあるときで構いません。' },
    { kind: 'h', text: '■ 無料の駆除ツール' },
    { kind: 'p', text: '観測されたボットに合わせた無料の駆除ツールを、上記の専用リンクからダウンロードできます。実行後、画面の案内に従って結果を送信してください。' },
    { kind: 'h', text: '■ このお知らせを装った詐欺にご注意ください' },
    {
      kind: 'list',
      items: [
        'このお知らせが、料金のお支払いを求めることは決してありません。',
        'パスワード、暗証番号、クレジットカード番号をお尋ねすることは決してありません。',
        `このお知らせが本物かどうかは、メール内のリンクを使わずに、ボット対策センターの公開サイト（${c.publicUrl}）で受付番号 ${first.ticket} を入力して確認できます：${checkUrl(c.publicUrl, first.ticket)}`,
      ],
    },
  ];
  if (c.contact !== '') blocks.push({ kind: 'p', text: `お問い合わせ：${c.contact}` });
  blocks.push({ kind: 'p', text: c.ispName });
  return { subject, blocks };
}

function english(c: NoticeContent): NoticeDocument {
  const tone = stageTone(c.stage);
  const first = c.incidents[0] as NoticeIncident;
  const d = (s: string): string => formatDate(s, 'en', c.timeZone);
  const subject = {
    inform: `[${c.ispName}] Your computer may be infected with a bot (ticket ${first.ticket})`,
    ask: `[${c.ispName}] Please remove the bot from your computer (reminder, ticket ${first.ticket})`,
    urgent: `[${c.ispName}] URGENT: bot infection continues on your connection (ticket ${first.ticket})`,
  }[tone];
  const opening = {
    inform:
      "The botnet countermeasure center's monitoring systems observed traffic from your internet connection that is typical of a computer infected with a bot (malware controlled remotely by criminals). A computer or device on your connection may be infected.",
    ask: 'Since our earlier notice, the same kind of traffic has been observed from your connection. We kindly ask you to clean up your computer as described below.',
    urgent: `We have written to you ${c.stage - 1} times, and bot traffic from your connection continues. An infected computer can be used to attack others and to steal your information. Please clean it up urgently.`,
  }[tone];
  const blocks: Block[] = [
    { kind: 'p', text: `Dear ${c.subscriberName ?? 'customer'},` },
    { kind: 'p', text: opening },
    { kind: 'h', text: 'What was observed' },
    {
      kind: 'list',
      items: c.incidents.map((i) => `Ticket ${i.ticket}: ${d(i.firstSeen)} to ${d(i.lastSeen)}, ${i.attackCount} attacks, bot: ${bots(i, 'unknown', ', ')}`),
    },
    { kind: 'h', text: 'How to see the observation history' },
    { kind: 'p', text: 'Your personal link shows when the traffic was observed and what it was:' },
    ...c.incidents.map((i): Block => ({ kind: 'link', label: `Personal link for ticket ${i.ticket}`, url: i.trackingUrl })),
    { kind: 'h', text: 'What we ask you to do' },
    { kind: 'p', text: tone === 'urgent' ? 'Please remove the bot from the infected computer now.' : 'Please remove the bot from your computer; the weekend is a good time to do it.' },
    { kind: 'h', text: 'Free cleaning tool' },
    { kind: 'p', text: 'A free cleaning tool made for the bots observed can be downloaded from your personal link. After running it, send its result as the page explains.' },
    { kind: 'h', text: 'Beware of fake notices' },
    {
      kind: 'list',
      items: [
        'This notice never asks you to pay anything.',
        'It never asks for a password, a PIN or a credit card number.',
        `To check that this notice is genuine without using any link in it, enter ticket ${first.ticket} on the center's public site (${c.publicUrl}): ${checkUrl(c.publicUrl, first.ticket)}`,
      ],
    },
  ];
  if (c.contact !== '') blocks.push({ kind: 'p', text: `Questions: ${c.contact}` });
  blocks.push({ kind: 'p', text: c.ispName });
  return { subject, blocks };
}
