// Pasarela's window onto librabbitmq (rabbitmq-c).
//
// Debian 12 ships rabbitmq-c 0.11 with its headers at /usr/include/amqp*.h;
// rabbitmq-c 0.12 and later move them under rabbitmq-c/. Both layouts work.
//
// Swift cannot call C variadic functions (amqp_login) nor import macros that
// contain casts (the AMQP_*_METHOD numbers), so this header wraps the first
// in a static inline function and re-exports the second as constants.

#ifndef PASARELA_CRABBITMQ_SHIM_H
#define PASARELA_CRABBITMQ_SHIM_H

#if __has_include(<rabbitmq-c/amqp.h>)
#include <rabbitmq-c/amqp.h>
#include <rabbitmq-c/framing.h>
#include <rabbitmq-c/ssl_socket.h>
#include <rabbitmq-c/tcp.h>
#else
#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_ssl_socket.h>
#include <amqp_tcp_socket.h>
#endif

#include <string.h>

/// Logs in with the PLAIN mechanism. Announces `connection_name` (may be NULL)
/// so that `rabbitmqctl list_connections` shows who we are, and the
/// capabilities rabbitmq-c 0.11 leaves out: `consumer_cancel_notify` (the
/// broker tells a consumer whose queue was deleted) and `connection.blocked`
/// (the broker says when a resource alarm stops publishing).
static inline amqp_rpc_reply_t pasarela_amqp_login_plain(
    amqp_connection_state_t state, const char *vhost, int channel_max,
    int frame_max, int heartbeat, const char *user, const char *password,
    const char *connection_name) {
  amqp_table_entry_t capability_entries[2];
  capability_entries[0].key = amqp_cstring_bytes("consumer_cancel_notify");
  capability_entries[0].value.kind = AMQP_FIELD_KIND_BOOLEAN;
  capability_entries[0].value.value.boolean = 1;
  capability_entries[1].key = amqp_cstring_bytes("connection.blocked");
  capability_entries[1].value.kind = AMQP_FIELD_KIND_BOOLEAN;
  capability_entries[1].value.value.boolean = 1;
  amqp_table_entry_t entries[2];
  amqp_table_t properties;
  entries[0].key = amqp_cstring_bytes("capabilities");
  entries[0].value.kind = AMQP_FIELD_KIND_TABLE;
  entries[0].value.value.table.num_entries = 2;
  entries[0].value.value.table.entries = capability_entries;
  properties.num_entries = 1;
  properties.entries = entries;
  if (connection_name != NULL) {
    entries[1].key = amqp_cstring_bytes("connection_name");
    entries[1].value.kind = AMQP_FIELD_KIND_UTF8;
    entries[1].value.value.bytes = amqp_cstring_bytes(connection_name);
    properties.num_entries = 2;
  }
  return amqp_login_with_properties(state, vhost, channel_max, frame_max,
                                    heartbeat, &properties,
                                    AMQP_SASL_METHOD_PLAIN, user, password);
}

/// Logs in with the EXTERNAL mechanism (TLS client certificate).
static inline amqp_rpc_reply_t pasarela_amqp_login_external(
    amqp_connection_state_t state, const char *vhost, int channel_max,
    int frame_max, int heartbeat, const char *identity) {
  return amqp_login(state, vhost, channel_max, frame_max, heartbeat,
                    AMQP_SASL_METHOD_EXTERNAL, identity);
}

// Method numbers as constants Swift can see.
static const amqp_method_number_t PASARELA_CONNECTION_CLOSE = AMQP_CONNECTION_CLOSE_METHOD;
static const amqp_method_number_t PASARELA_CONNECTION_CLOSE_OK = AMQP_CONNECTION_CLOSE_OK_METHOD;
static const amqp_method_number_t PASARELA_CONNECTION_BLOCKED = AMQP_CONNECTION_BLOCKED_METHOD;
static const amqp_method_number_t PASARELA_CONNECTION_UNBLOCKED = AMQP_CONNECTION_UNBLOCKED_METHOD;
static const amqp_method_number_t PASARELA_CHANNEL_CLOSE = AMQP_CHANNEL_CLOSE_METHOD;
static const amqp_method_number_t PASARELA_CHANNEL_CLOSE_OK = AMQP_CHANNEL_CLOSE_OK_METHOD;
static const amqp_method_number_t PASARELA_BASIC_PUBLISH = AMQP_BASIC_PUBLISH_METHOD;
static const uint16_t PASARELA_BASIC_CLASS = AMQP_BASIC_CLASS;
static const amqp_method_number_t PASARELA_BASIC_ACK = AMQP_BASIC_ACK_METHOD;
static const amqp_method_number_t PASARELA_BASIC_NACK = AMQP_BASIC_NACK_METHOD;
static const amqp_method_number_t PASARELA_BASIC_RETURN = AMQP_BASIC_RETURN_METHOD;
static const amqp_method_number_t PASARELA_BASIC_DELIVER = AMQP_BASIC_DELIVER_METHOD;
static const amqp_method_number_t PASARELA_BASIC_CANCEL = AMQP_BASIC_CANCEL_METHOD;
static const amqp_method_number_t PASARELA_BASIC_CANCEL_OK = AMQP_BASIC_CANCEL_OK_METHOD;
static const amqp_method_number_t PASARELA_BASIC_CONSUME_OK = AMQP_BASIC_CONSUME_OK_METHOD;

#endif
