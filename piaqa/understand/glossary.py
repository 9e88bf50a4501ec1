"""Domain glossary: everyday and English wording -> the form's own vocabulary.

Each entry is (pattern, form terms). Patterns are matched case-insensitively on the NFKC question;
the terms are added to it for label matching and BM25, so "who is the contractor" finds 委託先名.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from piaqa.parse.choice import RATING
from piaqa.search.tokenize import Tokenizer
from piaqa.understand.answertype import WHEN_DATED, main_clause
from piaqa.understand.everyday import everyday_terms
from piaqa.understand.lexicon import everyday_groups
from piaqa.understand.lexicon import everyday_terms as everyday_english
from piaqa.understand.lexicon import japanese_groups, japanese_terms, lexicon
from piaqa.understand.prosegloss import prose_groups, prose_words
from piaqa.text import nfkc

# the businesses (事務) assessed: a question names them to say which assessment it asks about
_JIMU_ENTRIES: list[tuple[str, str]] = [
    (r"national pension|国民年金|年金", "国民年金"),
    (r"resident regist|住民票|住民基本台帳|住基", "住民票 住民基本台帳"),
    (r"child allowance|児童手当", "児童手当"),
    (r"(local )?tax(es)?|arrears|delinquen|滞納|徴収|市税", "地方税 徴収 滞納整理"),
]
_ENTRIES: list[tuple[str, str]] = [
    # 委託 / 再委託
    # everyday: 下請け, 孫請け, "さらに別の会社に回す" (a contractor passing the work on)
    # (everyday English: a contractor who "passes the work on" to "another company")
    (r"re-?delegat|subcontract|sub-contract|再委託|下請|孫請|(さらに|別の|他の|ほかの)(会社|業者|事業者)に"
     r"|\bpass\w* (the work |it |this |that |them |tasks? )?on\b|another (company|firm|contractor|vendor)",
     "再委託 再委託の有無 再委託事項"),
    (r"(?<!sub)(?<!sub-)contractor|vendor|outsourc|entrust|consign|委託先|業者|請け負|受託|面倒を見|任せ|外注"
     r"|どこの会社|どの会社|farm\w* (it |them |the work |\w+ )?out|contract\w* (it |them |the work )?out"
     r"|\bwho\b.{0,30}\bhand\w*\b.{0,40}\bto\b|委託して(い|る)?[^？?、。]{0,2}先|どこに(委託|外注|任せ|頼)",
     "委託 委託先名"),  # a subcontractor is 再委託's
    (r"(which|what) (company|companies|firm|business|vendor)|\bcompany\b|under contract|\bcontract (for|to)|どこの業者|会社は",
     "委託先名"),
    (r"(what|which) (work|tasks?|services?|operations?) .{0,30}(outsourc|entrust|consign)|outsourced (work|tasks?)|"
     r"(任せ|頼ん|委託し)て(る|いる)?(作業|仕事|業務)|"
     r"委託(している|する)?(業務|内容|事項)|何を委託", "委託事項 委託内容"),
    # what the outsourcing contract provides (III-4's 委託契約書中の…規定): the contract document, its terms
    (r"委託契約書|契約書|\bcontract\w* (says?|requires?|stipulat\w*|clauses?|provisions?|terms)\b"
     r"|\b(under|in) (\S+ ){0,3}?(outsourcing |service )?contracts?\b",
     "委託契約書中の特定個人情報ファイルの取扱いに関する規定 規定の内容"),
    (r"maint(ain|enance)|保守|運用|運営", "保守 運用"),
    # a count of the contractor's people: asked ("how many people at Kurashiki's contractor"), named ("the number of
    # contractor staff", "the contractor whose number of staff") or compared ("10 or more contractor staff", "a
    # contractor with 10 people or more"); the contractor's staff alone are a subject ("make contractor staff sign a
    # pledge"), not their number
    (r"how many (staff|people|persons|employees|personnel|workers) (at|of|from|working for|with) (\S+ ){0,3}?"
     r"(contractors?|vendors?)\b|(number|count|size|band)s? of (the )?(contractor|vendor)'?s?'? "
     r"(staff|people|persons|employees|personnel|workers)|(contractors?|vendors?)'?s?'? (\S+ ){0,2}?(number|count|size)"
     r" of (its |their )?(staff|people|persons|employees|personnel|workers)|\b(\d+|ten|fifty|a hundred)\b[^.?]{0,20}?"
     r"(contractor|vendor)'?s?'? (staff|people|persons|employees|personnel|workers)"
     r"|(contractors?|vendors?)\b[^.?]{0,25}?\b(\d+|ten|fifty|a hundred)\b[^.?]{0,12}?"
     r"\b(staff|people|persons|employees|personnel|workers)\b"
     r"|委託先.{0,8}(人数|何人|従業者数|従事者数|作業者数|取扱者数|スタッフ数)", "委託先における取扱者数"),
    # how a subcontract is approved (再委託の許諾方法): 「再委託をどうやって認めてる」「再委託の承諾」, "How does the city
    # sign off on a subcontract?", "approval to subcontract"
    (r"(re-?delegat|subcontract|sub-contract|再委託).{0,40}(承諾|許諾|認め|許可|\bapprov|\bsign\w* off|\bconsent|\bauthori[sz])"
     r"|(承諾|許諾|\bapprov|\bsign\w* off|\bconsent|\bauthori[sz]).{0,40}(re-?delegat|subcontract|sub-contract|再委託)",
     "再委託の許諾方法"),
    # what is passed on asked as the verb's object ("What does it subcontract?", 「何を再委託している？」)
    (r"\bwhat (does|do|did|will|would) (\S+\s){1,3}?(subcontract|sub-contract|re-?delegate)\b|何を再委託", "再委託事項"),
    (r"\bwhat (does|do|did|will|would) (\S+\s){1,3}?(outsource|entrust|consign)\b", "委託事項 委託内容"),
    (r"(staff|employees|officials|users|職員|担当者|使える人|扱える人|使う人).{0,20}(how many|何人|人数)|"
     r"(how many|number of) (staff|employees|users|officials)|何人くらい"
     r"|(how many|number of) (people|persons) (who )?(can )?(use|access|handle|work with)"
     r"|how many of (their|its|the) (staff|people|employees|workers|personnel)",
     "使用者数 取扱者数"),  # 使う人 in English; the people a contractor has handle it (委託先における取扱者数)
    (r"how many (people|persons|residents)|number of (people|persons|subjects|individuals)|対象者数|何人分|人数",
     "対象となる本人の数 対象人数"),
    (r"scope of (people|persons|individuals)|whose|誰の情報|どんな人", "対象となる本人の範囲"),
    (r"since when|start(ed)? (holding|keeping)|hold(ing)? since|いつから.{0,8}(持|保有|保管)|保有(を)?開始",
     "保有開始日"),
    (r"(?:start(?:ed)?|beg[iau]n|commenc(?:e|ed))(?: using| to use)|use since|いつから.{0,6}(使|利用)", "使用開始日"),
    (r"retention|how long.{0,40}\b(kept|keeps?|keeping|stored|stores?|storing|retain\w*|hold|holds|hang\w* on)\b|保存期間|保管期間|"
     r"いつまで|何年", "保管期間"),  # a verb of keeping alone (「ログを残してる？」) asks whether, not how long
    (r"how often|frequen|時期・頻度|頻度|間隔|何回|どのくらいの時期|毎日|毎月|(渡|送|提供|移転|出|回)[^？?。]{0,8}タイミング|いつ(渡|送|提供|移転|出|回)"
     r"|\bwhen (do|does|did|is|are|was|were)\b.{0,30}\b(send|sent|hand\w*|pass\w*|provid\w*|transferr?\w*|shar\w*|give|given)\b",
     "時期・頻度"),
    (r"手に入|入手|get hold of|\bobtain|\bacquir", "入手 入手の時期・頻度 入手元 入手方法"),
    # … and what data given to someone is for (「提供しているのは何の事務のため」); 「何のため」 alone may ask a reason
    (r"\bused for\b|\bpurpose of use\b|用途|何に使|どのような事務に用い|何のために"
     r"|(提供|移転|渡|送|出)[^？?。]{0,8}何の(?:[一-龥]{1,4}の)?ため",
     "用途 提供先における用途 移転先における用途"),
    (r"\bwhat (does|do|did) .{0,60}\buse\b.{0,60}\bfor\b", "使用目的 用途"),  # "What does X use the file for?"
    # … and "for" ending a what-question asks what something is for ("What's that for?", "What is it sent for?")
    (r"\bwhat(?:'s|\s+(?:is|are|was|were))\b.{0,60}\bfor\s*[?？]?\s*$", "用途 提供先における用途 移転先における用途"),
    (r"where.{0,60}(stored|kept|held)|storage|保管場所|どこに保管|どこで保管", "保管場所"),
    (r"information provision network|情報提供ネットワーク|linked through|data linkage|情報連携",
     "情報提供ネットワークシステムによる情報連携 実施の有無"),
    (r"delet|\beras|dispos|destroy|消去|廃棄|処分|捨て", "消去方法 消去"),  # (erase, not "cameras")
    (r"government cloud|gov-?cloud|ガバメントクラウド|ガバクラ|\bcloud\b|クラウド", "ガバメントクラウド クラウド"),
    (r"data ?cent(er|re)|データセンター|ホスティング", "データセンター"),
    (r"disclos|開示|情報公開", "開示請求 開示・訂正・利用停止請求 請求先"),
    (r"\bfee|charge|cost|how much|手数料|費用|いくら|有料|無料", "手数料等"),
    (r"where.{0,10}(request|apply|submit|send)|請求先|どこに請求|申し込み先|窓口|申し出|どこに出|提出先", "請求先"),
    (r"how.{0,10}(request|apply)|請求方法|どうやって請求", "請求方法"),
    # handling an inquiry (問合せへの対応): what is done when one comes in, not where to send it
    (r"\binquir\w*\b.{0,60}\b(do|does|did|handl\w*|respond\w*|deal\w*)\b|\b(handl\w*|respond\w* to|deal\w* with|answer\w*)\b"
     r".{0,20}\binquir|問い?合わ?せ.{0,20}(どう対応|どのように対応|対応方法)", "対応方法"),
    (r"(tele)?phone numbers?|contact|inquir|enquir|phone|call\b|問い?合わ?せ|連絡先|電話番号|電話", "連絡先 問合せ"),
    (r"\b(which|what) (sections?|departments?|divisions?|offices?)\b.{0,20}\b(use|uses|work with|works with"
     r"|access|accesses)\b|(使って|使用して|扱って)(る|いる)?(部署|課)|(どの|どこの)(部署|課)が[^？?、。]{0,8}(使|扱)",
     "使用部署"),
    (r"department|division|section in charge|部署|担当課|所管|どこの課", "部署 事務担当部署"),
    (r"head of|manager|title of the (head|chief)|所属長|役職", "所属長の役職名"),
    (r"public comment|意見の聴取|パブリックコメント|パブコメ|住民の意見"
     r"|(?:solicit|invit|s(?:ee|ou)k|consult|gather|collect)\w*\b.{0,30}\b(?:opinions|views|comments)",
     "国民・住民等からの意見の聴取 実施日・期間"),
    (r"third[- ]party|第三者", "第三者点検"),
    (r"threshold|しきい値|閾値", "しきい値判断結果"),
    (r"audit|監査", "監査 実施の有無"),
    (r"\btrain(?:s|ed|ing)?\b|(?<!board of )educat\w*|研修|教育(?!委員会)", "従業者に対する教育・啓発"),
    (r"deceased|dead (person|people)|died|死者|亡くなった", "死者の個人番号"),
    (r"(serious|major).{0,30}(accident|incident|breach)|breach|重大事故|漏えい事故|事故", "重大事故"),
    (r"(which|what) systems?\b|name of the system|どのシステム|何という?システム|システム名", "システムの名称"),
    (r"file name|name of the .{0,40}file|ファイル名|ファイルの名称|何というファイル|\bwhat files\b|どんなファイル",
     "特定個人情報ファイル名"),
    (r"number of (items|fields)|how many (items|fields)|項目数|何項目", "記録される項目"),
    # the recipient, also asked with "to" before the interrogative ("To which body does Kochi provide …?")
    (r"provided to|provid\w*\b.{0,40}\bto\b|\bto (?:which|what|whom)\b.{0,60}\bprovid|recipient|提供先|どこに提供",
     "提供先 提供・移転"),
    # the division data is moved to, also asked by its noun (「どこの課に移転してる？」「どの部署に回してる？」)
    (r"transfer\w*\b.{0,40}\bto\b|\bto (?:which|what|whom)\b.{0,60}\btransfer|移転先"
     r"|(?:どこ|どの|何)の?(?:課|部署|部局)?(?:に|へ)(?:移転|回)", "移転先 提供・移転"),
    # everyday words for a recipient: who or where the data is sent, given or passed to (提供先, or 移転先 in the city)
    # (asked of the object: "who do they send it to", not of the sender: "who sends it")
    (r"\b(who|whom|where|which \w+) (do|does|did|will|would|is|are|was|were)\b.{0,40}"
     r"\b(send|sent|give|given|pass|passed|share|shared)\b|\bto whom\b"
     r"|\b(who|which \w+) (gets|receives)\b|(どこ|誰|だれ|どの[^\s、？?]{0,4})(に|へ)[^？?、]{0,15}(送|渡|回し)"
     r"|(提供|移転|渡|送|出)[^？?、。]{0,6}相手",
     "提供先 移転先 提供・移転"),
    # how the data is sent, handed or made available (提供方法, 移転方法, 委託先への…提供方法), in everyday words
    (r"どうやって(?:[^？?、。]{0,5}(?:に|へ|を))?(渡|送|届|提供)|渡し方|送り方|受け渡し|(送|渡)る?(手段|方法)|何で(送|渡)|(どんな|どういう)(方法|手段|形)で(送|渡|提供|届)"
     r"|\bhow (?!often|long|many|much|frequent)\b.{0,30}\b(hand|hands|handed|pass|passes|passed|deliver\w*|send\w*|sent"
     r"|transmit\w*|reach\w*|made available|gets? to|go(es)? to)\b"
     r"|\bin what (form|way|format|manner)\b.{0,30}\b(send|sent|reach\w*|provid\w*|hand\w*|pass\w*|deliver\w*|get|go|goes)\b",
     "提供方法 移転方法 委託先への特定個人情報ファイルの提供方法"),
    # what is sent (提供する情報, 移転する情報): the information, data or details given, passed or received
    (r"\b(what|which) (information|data|details|items|records|fields)\b.{0,30}\b(sent|send|passed|pass|given|give"
     r"|provided|provide|shared|share|transferred|transfer|goes|go|handed|hand|receive\w*|get|gets)\b"
     r"|(どんな|何の|どの)(情報|データ|項目)を?.{0,6}(渡|送|提供|移転)|何を(渡|送|提供|移転)",
     "提供する情報 移転する情報"),
    (r"確かめ|確認でき|確認方法|how can .{0,40}(confirm|check|verify|find out)", "確認方法"),
    # … of who the contractor is (委託先名の確認方法) only when the contractor is in the question: 「届出の中身をどうやって
    # 確かめてる」 asks how a form's content is checked
    (r"(委託先|業者|会社|contractor|vendor|company).{0,40}?(確かめ|確認でき|確認方法)"
     r"|(確かめ|確認でき|確認方法|how can .{0,40}(confirm|check|verify|find out)).{0,40}?(委託先|業者|会社|contractor|vendor|company)",
     "委託先名の確認方法"),
    # a log, not a login: "log in", "log off", ログイン, ログオフ are 認証's and ログオフ's words
    # (everyday: a record of what someone did with the data, of their activity or work: 作業記録's English)
    (r"\b(access )?logs\b|\b(access )?log\b(?![- ]?(in|on|off|out)\b)|records? of (system )?use"
     r"|\b(usage|activity|work|handling) (records?|logs?|history)\b|\brecords? of what\b"
     r"|(取り?)?扱(い|った)の?記録|取扱記録|作業記録|アクセスログ|ログ(?!イン|オン|オフ|アウト)|操作記録|使用の記録",
     "特定個人情報の使用の記録 特定個人情報ファイルの取扱いの記録 記録"),
    # the record of what was provided or transferred, and the rule for a contractor passing data on
    (r"records? of .{0,25}\b(provi\w*|transfer\w*|disclos\w*|hand\w*|pass\w*)|(provision|transfer|disclosure)s? (record|log)s?"
     r"|(提供|移転)の記録|(提供|移転|渡)した(とき|時|際)?の?記録", "特定個人情報の提供・移転の記録"),
    (r"contractors?\b.{0,40}\b(pass|give|provide|hand|share)\w*\b.{0,30}\b(others?|anyone else|third[- ]part\w*)"
     r"|委託先から(他者|第三者)|(委託先|業者)が.{0,20}(ほか|他|第三者)に(渡|提供)", "委託先から他者への提供に関するルールの内容及びルール遵守の確認方法"),
    # the basis in law, also as the statute ("statutory provisions", "the statute that allows")
    (r"legal (basis|provision|ground)|law|statut(e|es|ory)\b|根拠|法令|条文|何条|which (article|provision)", "法令上の根拠"),
    # the source, also asked with a verb of getting ("which body does Chiba obtain it from", "from which body",
    # 「どこから受け取ってる」)
    (r"obtain(ed)? from|source of|\bget .{0,20}\bfrom\b|\bcomes? from\b|入手元|どこから(入手|もら|得|受け取|受|取得|取って|集め)"
     r"|から.{0,12}入手|入手.{0,6}(部署|先)"
     # (the city as the subject: "which division gets it from that file" asks a recipient)
     r"|\b(?:does|do|did)\b.{0,40}\b(?:obtain|receive|acquire|collect|get|gather)\b.{0,50}\bfrom\b"
     r"|\bfrom (?:which|what|whom)\b",
     "入手元"),
    (r"how.{0,20}obtain|入手方法|どうやって入手", "入手方法"),
    (r"purpose|使用目的|目的", "使用目的"),
    (r"published|publication date|公表日|いつ公表", "公表日"),
    (r"evaluation number|assessment number|評価書番号", "評価書番号"),
    (r"when .{0,40}(conducted|carried out|held|done|performed)|実施日|いつ実施|いつ行", "実施日"),
    (r"how.{0,10}(transfer|provid)|提供方法|移転方法", "提供方法 移転方法"),
    (r"\bnames?\b|\btitled?\b|名称|名前", "名称"),
    (r"\bdates?\b|" + WHEN_DATED + r"|\bday\b", "日"),  # (a recurring "when do …" asks no day)
    (r"\bmethods?\b|\bmeans\b|\bprocedure", "方法"),
    (r"\bscope\b|\brange\b|\bcoverage\b", "範囲"),
    (r"\bcategory\b|\bclass\b|\bbracket\b|\btype\b|\bkind\b", "種類 区分"),
    # the form's other items, by their English and everyday names (V: the register of files; III: the measures)
    (r"personal information file (register|registry|list|book)|register of (personal information )?files"
     r"|個人情報ファイル簿|ファイル簿", "個人情報ファイル簿の公表"),
    (r"where .{0,40}(published|made public|public inspection|available to the public|open to the public)"
     r"|where (can|could|do|does|may) .{0,20}\b(see|view|read|inspect|look at)\b"
     r"|公表場所|どこで(公表|閲覧|見られ|見れ|見る|読め)|閲覧(できる|場所)", "公表場所"),
    (r"special (legal )?procedures?|特別の手続|特別な手続", "法令による特別の手続"),
    (r"(omitted|left out|not (listed|entered|included)) (from|in) the (register|list)|不記載", "個人情報ファイル簿への不記載等"),
    (r"back ?-?ups?|バックアップ", "バックアップ"),
    (r"physical (security|measures?|safeguards?|protection|access)|物理的(な)?(対策|安全|措置)|入退室|入退館|施錠",
     "物理的対策"),
    (r"technical (security|measures?|safeguards?|protection)|技術的(な)?(対策|安全|措置)|anti-?virus|malware|firewall"
     r"|\bvirus(es)?\b|ウイルス|ウィルス|ファイアウォール", "技術的対策"),
    (r"authenticat|passwords?|\blog ?-?in\b|\bsign ?-?in\b|ユーザ-?認証|本人認証|パスワード|ログイン", "ユーザ認証の管理"),
    (r"access (rights?|privileges?|permissions?|control)|アクセス権|権限", "アクセス権限の管理 アクセス権限の発効・失効の管理"),
    (r"(inform|notify|tell|explain)\w*.{0,30}\b(the (person|individual|resident|data subject)s?|residents)\b"
     r"|本人への明示|本人に(明示|説明|知らせ|通知|伝え)", "本人への明示"),
    (r"security (management )?(organi[sz]ation|system|structure|framework|setup)|安全管理体制|管理体制", "安全管理体制"),
    (r"security (rules|regulations?|polic(y|ies))|安全管理規程|セキュリティポリシー", "安全管理規程"),
    (r"(incident|accident|breach|leak)\w* (response|procedures?|plan|handling)|(in case of|when there is) an? "
     r"(incident|accident|breach|leak)|事故(発生)?時の?(手順|対応)|事故が(起き|起こ|発生)", "事故発生時手順の策定・周知"),
    (r"recurrence|(happening|happen) again|再発防止|再発", "再発防止策の内容"),
    (r"submi(t|tted|ssion)\b.{0,30}\b(date|when)|when .{0,40}submitted|提出日|いつ提出", "提出日"),
    (r"(assessing|implementing|evaluating) (body|organi[sz]ation|agency|institution)|評価実施機関", "評価実施機関名"),
    (r"(title|name) of the (assessment|evaluation|report|document)|評価書名|評価書の(名前|名称|タイトル)", "評価書名"),
    (r"(comments?|opinions?|feedback) (were |was )?(received|submitted|given|made)|意見の内容|どんな意見|主な意見",
     "主な意見の内容"),
    (r"self[- ]?(check|inspection|audit|assessment|review)|自己点検|セルフチェック", "自己点検"),
    (r"authenticity|genuine|真正性|本物", "個人番号の真正性確認の措置の内容"),
    (r"cross[- ]?check|collat|match\w* against|突合|照合", "情報の突合"),
    (r"connect\w*.{0,30}\b(other|another|external) systems?|other systems?|他のシステム|外部(の)?システム"
     r"|システム(間|と)の?(連携|接続)", "他のシステムとの接続"),
    (r"(what|which) (functions?|features?)|functions? of the system|システムの機能|どんな機能|何ができる", "システムの機能"),
    (r"(description|outline|overview) of the (work|business|tasks?|duties)|事務の内容|どんな(事務|仕事|業務)",
     "事務の内容"),
    (r"benefits?|advantages?|merits?|メリット|利点", "実現が期待されるメリット"),
    (r"accura(cy|te)|up[- ]to[- ]date|out[- ]of[- ]date|outdated|正確性|正確に|最新の(状態|情報)",
     "特定個人情報の正確性確保の措置の内容"),
    (r"who (can|may|is allowed to) (view|see|read|look at|update|edit|change)|閲覧者|更新者|閲覧.{0,4}制限",
     "特定個人情報ファイルの閲覧者・更新者の制限"),
    (r"(personal information protection )?commission|個人情報保護委員会", "個人情報保護委員会による審査"),
    (r"shorten|shorter|短縮", "期間を短縮する特段の理由"),
    *_JIMU_ENTRIES,
    # the three kinds of assessment (評価書種別, on the cover) by their English names
    (r"\bfull(?:-| )(?:items? )?(?:assessment|evaluation|pia)s?\b", "全項目評価書"),
    (r"\b(?:priority|key|focus(?:ed)?)(?:-| )items?(?: (?:assessment|evaluation|pia)s?)?\b", "重点項目評価書"),
    (r"\bbasic(?:-| )(?:items? )?(?:assessment|evaluation|pia)s?\b", "基礎項目評価書"),
    (r"convenience store|コンビニ", "コンビニ交付"),
    (r"how many files|number of files|ファイル(は|が|を)?(いくつ|何個|何種類)|ファイル数", "特定個人情報ファイル名"),
]
_COMPILED = [(re.compile(p, re.I), t) for p, t in _ENTRIES]

# What the national form never records: a question about these is answered "not stated", not guessed.
_NOT_IN_FORM: list[tuple[str, str]] = [
    (r"氏名|(担当者|職員|責任者|社員|作業者|従事者|課長|所長|部長)の?名前|person'?s name|"
     r"name of the (person|head|manager|chief|staff|employee|official)|who (exactly )?(is|are) the (staff|person|people)",
     "担当者の氏名"),
    (r"予算|budget|(契約|委託)の?金?額|委託料|費用(?!負担)|\bcost|salary|salaries|給与|給料|年収|違約金|賠償金|penalt|"
     r"contract (amount|value|price|sum)|how much .{0,40}\b(worth|contract)\b"
     r"|\bwhat(?:'s| is| are| was| were) .{0,40}\bworth\b|"
     # いくら asks an amount (「いくらで契約」「いくら払う」; not いくらか, somewhat): outside the disclosure fee, none is stated
     r"いくら(?!か)|how much .{0,40}\b(pay|spend|cost)", "金額・予算"),
    (r"機種|型番|hardware|server model|メーカー名|製品名", "機器の型番"),
    (r"契約期間(?!及び)|いつまでの契約|契約の?(終了|満了)|(何年|何か月|何ヶ月|何カ月|どのくらい|どれくらい)(間)?の契約"
     # (a contract, not a contractor: "How long are contractor activity records kept?")
     r"|契約(は|の)?(何年|年数|長さ)|contract (period|term|end|expir|length|duration)|how long .{0,30}\bcontracts?\b",
     "契約期間"),
]
_NOT_COMPILED = [(re.compile(p, re.I), t) for p, t in _NOT_IN_FORM]


def not_in_form(question: str) -> str | None:
    """The kind of fact the question asks for when the form never records it, else None. Read in the clause that
    asks: "once the contract ends" only sets the scene of "What happens to the documents …"."""
    if re.search(r"手数料|\bfee|開示|disclos", nfkc(question), re.I):  # what disclosure costs is a form item
        return None  # (開示請求の手数料等), wherever the question says it is about disclosure
    q = main_clause(question)
    for pattern, what in _NOT_COMPILED:
        if pattern.search(q):
            return what
    return None


def jimu_names(jimu: str) -> list[str]:
    """The names a question may give a 事務 (住民票に関する事務: 住民票, 住民基本台帳): in a question about that
    assessment they say which assessment, not what is asked."""
    return [t for _, terms in _JIMU_ENTRIES for t in terms.split() if any(x in jimu for x in terms.split())]


def expand(question: str) -> list[str]:
    """Form terms that the question's wording stands for (may be empty)."""
    return list(expand_weighted(question))


def prose_terms(question: str) -> list[str]:
    """Form terms for matching prose: those of wording the question does not already share with them.

    "委託先" evokes 委託先名 for the label, but in prose the 名 (and 有無, 事項 of other labels) is noise:
    the question already spells the form's word. "面倒を見" or "contractor" still bring 委託."""
    out = [w for wording, terms in _evoked(question) if not any(wording in t for t in terms) for w in terms]
    return list(dict.fromkeys(out))


# an English proper name inside a phrase ("how many Kurashiki staff", "the Chiba contractor's"): a place or body that
# scopes the question, which the glossary's wording does not hold (its entries read "how many staff")
_NAME_INSIDE = re.compile(r"(?<=[a-z,] )[A-Z][a-z]+(?:['’]s)?\s+(?=[a-z])")


def _evoked(question: str) -> list[tuple[str, list[str]]]:
    """(the wording that matched, the form terms it evokes) for every glossary entry the question matches."""
    q = _NAME_INSIDE.sub("", nfkc(question))
    idioms = lexicon().phrases(q)
    return [(m.group(0), words.split()) for pattern, words in _COMPILED
            if (m := next((m for m in pattern.finditer(q) if not _inside_idiom(m, idioms)), None))]


def term_groups(question: str) -> list[list[str]]:
    """The form terms the question evokes, grouped by the wording that evokes them ("use it for" -> 使用目的, 用途)."""
    return [terms for _, terms in _evoked(question)]


def _inside_idiom(match: re.Match[str], idioms: Sequence[tuple[int, int]]) -> bool:
    """Whether a glossary match is a word inside a longer English phrase the lexicon reads as one ("charge" in "in
    charge of", which means 担当, not a fee): the phrase's sense is meant, not the word's."""
    return any(a <= match.start() and match.end() <= b and (a, b) != match.span() for a, b in idioms)


def lexical_terms(question: str) -> list[str]:
    """What BM25 and the word-coverage checks read besides the question's own Japanese tokens: the
    glossary's form terms, the lexicon's Japanese for its English words and the prose terms of its everyday
    wording (field labels use `expand`)."""
    return list(dict.fromkeys([*expand(question), *japanese_terms(question), *prose_words(question)]))


def unit_lexical_terms(question: str, tokenize: Tokenizer) -> list[str]:
    """What BM25 reads besides the question's own tokens when it ranks the prose's evidence units: `lexical_terms`
    and the formal words of the question's everyday Japanese words (everyday.py) and everyday English words
    (lexicon.everyday_terms). The passages the form's fields are read from are ranked on `lexical_terms` alone: an
    everyday word's formal reading (確かめる: 確認) matches labels the question is not about (委託先名の確認方法 for
    how the counter checks what residents hand in)."""
    return list(dict.fromkeys([*lexical_terms(question), *everyday_terms(question, tokenize),
                               *everyday_english(question)]))


def word_groups(question: str) -> list[tuple[str, ...]]:
    """Groups of alternatives that word coverage counts once each: the senses of each English word and the
    prose terms of each everyday wording."""
    return [*japanese_groups(question), *prose_groups(question)]


def unit_word_groups(question: str) -> list[tuple[str, ...]]:
    """`word_groups` and one group per everyday English word or phrase of the question (lexicon.everyday_groups):
    what word coverage reads when the evidence units of a lookup are weighed."""
    return [*word_groups(question), *everyday_groups(question)]


def expand_weighted(question: str) -> dict[str, float]:
    """Form terms with a weight: how much of the question the wording that evoked them covers (0..1).

    "どの部署から…入手" evokes both 部署 and 入手元; the longer match is the more specific reading.
    """
    spans: dict[str, int] = {}
    evoked = _evoked(question)
    for wording, terms in evoked:
        # a wording inside a longer one ("subcontract" in "What does it subcontract") is the less specific reading:
        # the terms only it evokes weigh as the shortest wording does
        inside = any(wording != other and wording in other for other, _ in evoked)
        for w in terms:
            spans[w] = max(spans.get(w, 0), 0 if inside else len(wording))
    asked = main_clause(question)
    # a term evoked only by the clause that sets the scene (「開示請求すると費用はかかる？」: 開示請求) is not what is
    # asked: it weighs as the shortest wording does
    in_main = spans if asked == nfkc(question) else {w for _, terms in _evoked(asked) for w in terms}
    return {w: 0.5 + 0.5 * min(1.0, n / 8) if w in in_main else 0.5 for w, n in spans.items()}


# The form's self-ratings of a measure (<選択肢> 特に力を入れて行っている / 十分に行っている / 十分である /
# 課題が残されている): how well a measure is done, never what it is.
# (評価 as a verb or the topic, not the assessment's own 全項目評価 / 保護評価; "rate" as the verb, "self-assessment")
_ASKS_RATING = re.compile(r"十分|不十分|力を入れ|課題|(?<!項目)(?<!保護)評価(は|を|して|し(?:た|てい)|する|され)|自己評価"
                          r"|how well|how good|good enough|sufficient|adequate|enough|\brat(?:e|es|ed|ing)\b"
                          r"|self-?assess|satisf|insufficient", re.I)


# The degrees the self-ratings state, in the form's, everyday and English words, each with the options that state it,
# the closest first (issues remaining are 課題が残されている where a row has it, else 十分に…ていない; a shortfall the
# other way round). Read in this order: a degree denied or short of the mark first ("not sufficiently", 「不十分」,
# "issues remain"), since its words hold the plain one's ("sufficient"); then particular effort; then "sufficient".
_SHORT = re.compile(r"^十分に.*ていない$")
_ISSUES = re.compile(r"課題が残されている")
_RATING_DEGREES: list[tuple[re.Pattern[str], tuple[re.Pattern[str], ...]]] = [
    (re.compile(r"課題が残|課題(が|の)ある|\b(issues?|problems?|concerns?|challenges?|gaps?|weakness(es)?) "
                r"(remain|left|outstanding)|\bremaining (issues?|problems?|concerns?|challenges?|gaps?)"
                r"|\bstill ha(s|ve|ving) (issues?|problems?|gaps?)", re.I), (_ISSUES, _SHORT)),
    (re.compile(r"不十分|十分(で|に)(は|も)?(ない|なく)|十分に[^、。]{0,6}てい(ない|ません)"
                r"|\bnot (yet )?(done )?(sufficient(ly)?|adequate(ly)?|enough)|\b(insufficient|inadequate)", re.I),
     (_SHORT, _ISSUES)),
    (re.compile(r"力を入れ|\b(particular|special|extra|great|considerable) (effort|emphasis|focus|attention)"
                r"|\b(particularly|especially) (strong|well|thorough|focused|committed)|\bwith emphasis\b", re.I),
     (re.compile(r"^特に力を入れ"),)),
    (re.compile(r"十分|\b(sufficient(ly)?|adequate(ly)?|satisfactor(y|ily))\b", re.I), (re.compile(r"^十分(?!.*ていない$)"),)),
]


def rated_option(question: str, options: Sequence[str], closest_only: bool = False) -> str | None:
    """The self-rating option (of `options`, a rated row's values) whose degree the question names in any words ("still
    has issues" → 課題が残されている, 「力を入れている」 → 特に力を入れて行っている); None when it names none.
    `closest_only`: only the option closest to the degree (課題が残されている for "issues remain", not 十分に行っていない)."""
    q = nfkc(question)
    for words, stating in _RATING_DEGREES:
        if words.search(q):
            for pattern in stating[:1] if closest_only else stating:
                if named := [o for o in options if pattern.search(o.strip())]:
                    return named[0]
            return None
    return None


def is_rating_scale(options: Sequence[str]) -> bool:
    """Whether a choice row's options are a self-rating scale (its strongest option opens with 特に力を入れ…:
    特に力を入れている, 特に力を入れて行っている / 整備している / 周知している / 遵守している)."""
    return any(o.strip().startswith("特に力を入れ") for o in options)


def is_rating(value: str, options: tuple[str, ...]) -> bool:
    """Whether a choice field's selected value is one of the form's self-ratings."""
    return bool(options) and bool(RATING.fullmatch(value.strip()))


def asks_rating(question: str) -> bool:
    """Whether a question asks how well a measure is done (the only question a rating answers)."""
    return bool(_ASKS_RATING.search(nfkc(question)))
