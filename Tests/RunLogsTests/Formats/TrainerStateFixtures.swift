/// Builds `trainer_state.json` text laid out like `transformers` writes it
/// (`json.dumps(..., indent=2, sort_keys=True)`), so line numbers are realistic.
enum TrainerStateFixture {
    struct Row {
        var members: [(String, String)]
    }

    /// A train row every 10 steps, an eval row every 50 (`eval_loss`, or per-set losses), and the
    /// final summary row with `train_loss`.
    static func rows(
        lastStep: Int, evalSets: [String] = [], lossAt: (Int) -> String = { String(3.0 - Double($0) / 1000) }
    ) -> [Row] {
        var rows: [Row] = []
        for step in stride(from: 10, through: lastStep, by: 10) {
            let epoch = Double(step) / 156.0
            rows.append(
                Row(members: [
                    ("epoch", String(epoch)), ("grad_norm", "3.127"),
                    ("learning_rate", String(5e-5 * (1 - Double(step) / 1000))), ("loss", lossAt(step)), ("step", String(step)),
                ]))
            if step % 50 == 0 {
                var eval: [(String, String)] = [("epoch", String(epoch))]
                if evalSets.isEmpty {
                    eval.append(("eval_loss", String(3.1 - Double(step) / 1000)))
                } else {
                    for set in evalSets { eval.append(("eval_\(set)_loss", String(3.2 - Double(step) / 1000))) }
                }
                eval += [("eval_runtime", "3.2"), ("eval_samples_per_second", "312.1"), ("eval_steps_per_second", "39.0"), ("step", String(step))]
                rows.append(Row(members: eval.sorted { $0.0 < $1.0 }))
            }
        }
        return rows
    }

    static func text(rows: [Row], globalStep: Int, final: Bool = false) -> String {
        var history = rows
        if final {
            history.append(
                Row(members: [
                    ("epoch", "1.0"), ("step", String(globalStep)), ("total_flos", "1.2e+15"), ("train_loss", "2.01"),
                    ("train_runtime", "120.4"), ("train_samples_per_second", "40.1"), ("train_steps_per_second", "1.25"),
                ]))
        }
        var lines = [
            "{", "  \"best_metric\": null,", "  \"best_model_checkpoint\": null,", "  \"epoch\": 0.96,",
            "  \"eval_steps\": 50,", "  \"global_step\": \(globalStep),", "  \"is_hyper_param_search\": false,",
            "  \"is_local_process_zero\": true,", "  \"is_world_process_zero\": true,", "  \"log_history\": [",
        ]
        for (index, row) in history.enumerated() {
            lines.append("    {")
            for (memberIndex, member) in row.members.enumerated() {
                lines.append("      \"\(member.0)\": \(member.1)" + (memberIndex == row.members.count - 1 ? "" : ","))
            }
            lines.append("    }" + (index == history.count - 1 ? "" : ","))
        }
        lines += [
            "  ],", "  \"logging_steps\": 10,", "  \"max_steps\": 1000,", "  \"num_input_tokens_seen\": 0,",
            "  \"num_train_epochs\": 7,", "  \"save_steps\": 50,", "  \"stateful_callbacks\": {",
            "    \"TrainerControl\": {", "      \"args\": {", "        \"should_epoch_stop\": false,",
            "        \"should_evaluate\": false,", "        \"should_log\": false,", "        \"should_save\": true,",
            "        \"should_training_stop\": false", "      },", "      \"attributes\": {}", "    }", "  },",
            "  \"total_flos\": 1.2e+15,", "  \"train_batch_size\": 8,", "  \"trial_name\": null,", "  \"trial_params\": null",
            "}",
        ]
        return lines.joined(separator: "\n") + "\n"
    }
}
