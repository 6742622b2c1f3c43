// Package alerts delivers matched articles to subscribers.
//
// A Router decides, for each new article, which subscribers asked for it and
// plans one news.Alert per (subscriber, channel). The monitor stores those
// alerts in the same transaction as the article (the outbox). A Dispatcher
// then reads due alerts from the outbox, sends them through a Sender
// (Standard Webhooks, Slack, Discord, Telegram, ntfy, or email through SMTP,
// immediately or as hourly, daily or weekly digests) and marks each one
// delivered, due again later, or failed.
//
// Delivery is at least once. Every attempt of one alert carries the same id
// (the webhook-id header, the mail Message-ID), so a receiver can recognise
// a resend after a crash between a send and its mark.
package alerts
